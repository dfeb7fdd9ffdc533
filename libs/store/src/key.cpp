#include "fil/store/key.h"

namespace fil::store {

namespace {

// Go's path.Clean for a path that is rooted by construction.
std::string cleanRooted(std::string_view raw) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= raw.size()) {
    size_t slash = raw.find('/', i);
    if (slash == std::string_view::npos) slash = raw.size();
    const std::string_view part = raw.substr(i, slash - i);
    if (part.empty() || part == ".") {
      // nothing
    } else if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else {
      parts.push_back(part);
    }
    i = slash + 1;
  }
  if (parts.empty()) return "/";
  std::string out;
  for (const auto& p : parts) {
    out += '/';
    out += p;
  }
  return out;
}

}  // namespace

Key::Key(std::string_view raw) : s_(cleanRooted(raw)) {}

std::vector<std::string_view> Key::namespaces() const {
  std::vector<std::string_view> out;
  std::string_view rest(s_);
  rest.remove_prefix(1);
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    out.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

std::string_view Key::baseNamespace() const {
  const size_t slash = s_.find_last_of('/');
  return std::string_view(s_).substr(slash + 1);
}

Key Key::parent() const {
  const size_t slash = s_.find_last_of('/');
  if (slash == 0) return Key();
  Key k;
  k.s_ = s_.substr(0, slash);
  return k;
}

Key Key::child(std::string_view name) const {
  std::string joined = s_;
  joined += '/';
  joined += name;
  return Key(joined);
}

bool Key::isAncestorOf(const Key& other) const { return keyHasPrefix(other.s_, *this); }

bool keyHasPrefix(std::string_view key, const Key& prefix) {
  if (prefix.isRoot()) return key != "/";
  const std::string& p = prefix.str();
  return key.size() > p.size() && key.compare(0, p.size(), p) == 0 && key[p.size()] == '/';
}

std::string queryLowerBound(const Key& prefix) {
  if (prefix.isRoot()) return "/";
  return prefix.str() + "/";
}

}  // namespace fil::store

// Datastore keys in the go-datastore form: slash-separated namespaces, always
// rooted, cleaned as Go's path.Clean does ("metadata//miner/" is
// "/metadata/miner"), so keys written by Lotus and by us compare equal.
//
//   Key k("/metadata/miner-address");
//   k.parent();            // "/metadata"
//   k.baseNamespace();     // "miner-address"
//   Key("/deals").child("bafy...");
#pragma once

#include <compare>
#include <string>
#include <string_view>
#include <vector>

namespace fil::store {

class Key {
 public:
  Key() : s_("/") {}
  // Cleans `raw`: adds the leading "/", collapses repeated slashes, drops a
  // trailing slash, resolves "." and ".." (never above the root).
  explicit Key(std::string_view raw);

  const std::string& str() const { return s_; }
  bool isRoot() const { return s_.size() == 1; }

  // The namespaces in order: "/a/b" -> {"a", "b"}; the root has none.
  std::vector<std::string_view> namespaces() const;
  // The last namespace ("b" of "/a/b"); empty for the root.
  std::string_view baseNamespace() const;
  // "/a" of "/a/b"; the root's parent is the root.
  Key parent() const;
  // "/a/b/c" from "/a/b" and "c" (the name is cleaned as a relative path).
  Key child(std::string_view name) const;
  Key child(const Key& other) const { return child(std::string_view(other.s_)); }
  // Whether `other` lies strictly below this key ("/a" is an ancestor of "/a/b",
  // not of "/ab").
  bool isAncestorOf(const Key& other) const;

  // Byte order of the cleaned strings, the order datastores iterate in.
  friend auto operator<=>(const Key& a, const Key& b) { return a.s_ <=> b.s_; }
  friend bool operator==(const Key& a, const Key& b) = default;

 private:
  std::string s_;
};

// Whether `key` (a cleaned key string) lies under `prefix` in the go-datastore
// query sense: equal to it is not enough, it must be a descendant ("/a/b"
// under "/a"); every key lies under the root.
bool keyHasPrefix(std::string_view key, const Key& prefix);

// The keys below `prefix` are exactly those that start with this string
// ("/a/" for "/a", "/" for the root), one contiguous run in byte order.
std::string queryLowerBound(const Key& prefix);

}  // namespace fil::store

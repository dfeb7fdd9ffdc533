#include "lotus_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

#include "fil/api/full_node_json.h"
#include "fil/config/values.h"

namespace fil::cli {
namespace {

std::string printfG(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), format, v);
  return buf;
}

double toDouble(const BigInt& v) { return v.convert_to<double>(); }

// Both of Lotus's size forms: scale by 1024 while the value is at least
// 1024 and a larger unit is left. Dividing a double by 1024 is exact, so
// this rounds once, as Lotus's big.Rat form does.
std::string scaled(const BigInt& value, const std::vector<std::string_view>& units, const char* format) {
  if (value == 0) return "0 B";
  double f = toDouble(value);
  size_t i = 0;
  while (f >= 1024 && i + 1 < units.size()) {
    ++i;
    f /= 1024;
  }
  return printfG(format, f) + " " + std::string(units[i]);
}

size_t runeCount(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

void replaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

}  // namespace

std::string sizeStr(const BigInt& bytes) {
  return scaled(bytes, {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB"}, "%.4g");
}

std::string deciStr(const BigInt& value) { return scaled(value, {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi"}, "%.3g"); }

double percentOf(const BigInt& num, const BigInt& den) {
  if (den == 0 || num == 0) return 0;
  return toDouble(num * 100) / toDouble(den);
}

std::string goDuration(std::chrono::nanoseconds d) { return config::formatDuration(config::Duration(d)); }

std::string durafmt(std::chrono::nanoseconds d, int limit_first_n) {
  struct Unit {
    std::string_view singular, plural, short_name;
  };
  static constexpr Unit kUnits[] = {{"year", "years", "y"},         {"week", "weeks", "w"},
                                    {"day", "days", "d"},           {"hour", "hours", "h"},
                                    {"minute", "minutes", "m"},     {"second", "seconds", "s"},
                                    {"millisecond", "milliseconds", "ms"}, {"microsecond", "microseconds", "µs"}};
  static constexpr int64_t kMicrosPer[] = {int64_t{365} * 24 * 3600 * 1000000, int64_t{7} * 24 * 3600 * 1000000,
                                           int64_t{24} * 3600 * 1000000,       int64_t{3600} * 1000000,
                                           int64_t{60} * 1000000,              1000000,
                                           1000,                               1};
  std::string out;
  int64_t remaining = d.count() / 1000;
  if (d.count() < 0) {
    out = "-";
    remaining = -remaining;
  }
  for (size_t i = 0; i < std::size(kUnits); ++i) {
    const int64_t v = remaining / kMicrosPer[i];
    remaining -= v * kMicrosPer[i];
    if (v > 1) {
      out += fmt::format("{} {} ", v, kUnits[i].plural);
    } else if (v == 1) {
      out += fmt::format("{} {} ", v, kUnits[i].singular);
    } else if (d.count() == 0 && kUnits[i].short_name == "s") {
      // durafmt names a zero duration in the unit its text ("0s") has.
      out += "0 seconds";
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (limit_first_n > 0) {
    size_t spaces = 0;
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i] == ' ' && ++spaces == static_cast<size_t>(limit_first_n) * 2) {
        out.resize(i);
        break;
      }
    }
  }
  return out;
}

std::string epochTime(chain::ChainEpoch current, chain::ChainEpoch epoch, uint64_t block_delay_seconds) {
  const auto span = [&](int64_t epochs) {
    return durafmt(std::chrono::seconds(static_cast<int64_t>(block_delay_seconds) * epochs), 2);
  };
  if (current > epoch) return fmt::format("{} ({} ago)", epoch, span(current - epoch));
  if (current == epoch) return fmt::format("{} (now)", epoch);
  return fmt::format("{} (in {})", epoch, span(epoch - current));
}

std::string goStamp(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%b %e %H:%M:%S", &tm);
  return buf;
}

std::string goUtcTime(TimePoint t) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  const std::time_t tt = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[48];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
  return buf;
}

std::string cidList(const std::vector<cid::Cid>& cids) {
  std::string out = "[";
  for (size_t i = 0; i < cids.size(); ++i) {
    if (i > 0) out += ' ';
    out += cids[i].toString();
  }
  return out + "]";
}

void TableWriter::write(const std::vector<std::pair<std::string, std::string>>& row) {
  std::vector<std::optional<std::string>> cells(columns_.size());
  for (const auto& [name, value] : row) {
    auto it = std::find_if(columns_.begin(), columns_.end(), [&](const Column& c) { return c.name == name; });
    size_t index = static_cast<size_t>(it - columns_.begin());
    if (it == columns_.end()) {
      columns_.push_back({name, false, 0});
      cells.resize(columns_.size());
    }
    ++columns_[index].lines;
    cells[index] = value;
  }
  rows_.push_back(std::move(cells));
}

std::string TableWriter::flush() const {
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::vector<std::optional<std::string>> header(columns_.size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (!columns_[i].separate_line) header[i] = columns_[i].name;
  }
  rows.push_back(std::move(header));
  rows.insert(rows.end(), rows_.begin(), rows_.end());
  const auto cell = [](const std::vector<std::optional<std::string>>& row, size_t i) -> std::optional<std::string> {
    return i < row.size() ? row[i] : std::nullopt;
  };

  std::vector<size_t> widths(columns_.size(), 0);
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c].lines == 0) continue;
    for (const auto& row : rows) {
      if (auto v = cell(row, c)) widths[c] = std::max(widths[c], runeCount(*v));
    }
  }

  std::string out;
  for (const auto& row : rows) {
    std::vector<std::string> printed(columns_.size());
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (columns_[c].lines == 0) continue;
      std::string e = cell(row, c).value_or("");
      if (!columns_[c].separate_line) {
        e += std::string(widths[c] - runeCount(e) + 2, ' ');
        out += e;
      }
      printed[c] = std::move(e);
    }
    out += '\n';
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (!columns_[c].separate_line || printed[c].empty()) continue;
      out += fmt::format("  {}: {}\n", columns_[c].name, printed[c]);
    }
  }
  return out;
}

std::string Eta::update(int64_t remaining, TimePoint now) {
  if (items_.empty()) {
    items_.push_back({now, remaining});
    return "";
  }
  if (items_.back().remaining == remaining) return last_;
  if (items_.back().remaining < remaining) {
    // The work grew: shift the history up so that it keeps falling, by the
    // growth plus what was likely processed meanwhile.
    int64_t processed_per_item = 1;
    if (items_.size() > 1) {
      const int64_t diff = items_.front().remaining - items_.back().remaining;
      processed_per_item =
          static_cast<int64_t>(std::round(static_cast<double>(diff) / static_cast<double>(items_.size())));
    }
    const int64_t shift = remaining - items_.back().remaining + processed_per_item;
    for (auto& item : items_) item.remaining += shift;
  }
  if (items_.size() >= max_items_) items_.erase(items_.begin());
  items_.push_back({now, remaining});

  const int64_t elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(items_.back().time - items_.front().time).count();
  const int64_t processed = items_.front().remaining - items_.back().remaining;
  if (processed <= 0) return last_;  // Lotus would divide by zero here
  const int64_t ms = elapsed_ms / processed * remaining;
  const int64_t seconds = ms / 1000;
  const int64_t minutes = seconds / 60;
  last_ = fmt::format("{:02}h:{:02}m:{:02}s", minutes / 60, minutes % 60, seconds % 60);
  return last_;
}

std::string syncStatusText(const api::SyncState& state, TimePoint now) {
  std::string out = "sync status:\n";
  for (const auto& ss : state.active_syncs) {
    out += fmt::format("worker {}:\n", ss.worker_id);
    std::vector<cid::Cid> base;
    std::vector<cid::Cid> target;
    int64_t height_diff = 0;
    chain::ChainEpoch target_height = 0;
    if (ss.base) {
      base = ss.base->cids();
      height_diff = ss.base->height();
    }
    if (ss.target) {
      target = ss.target->cids();
      height_diff = ss.target->height() - height_diff;
      target_height = ss.target->height();
    } else {
      height_diff = 0;
    }
    out += fmt::format("\tBase:\t{}\n", cidList(base));
    out += fmt::format("\tTarget:\t{} ({})\n", cidList(target), target_height);
    out += fmt::format("\tHeight diff:\t{}\n", height_diff);
    out += fmt::format("\tStage: {}\n", api::syncStageName(ss.stage));
    out += fmt::format("\tHeight: {}\n", ss.height);
    if (!ss.end) {
      if (ss.start) out += fmt::format("\tElapsed: {}\n", goDuration(now - ss.start->time));
    } else if (ss.start) {
      out += fmt::format("\tElapsed: {}\n", goDuration(ss.end->time - ss.start->time));
    } else {
      // End minus Go's zero time overflows; Go's Time.Sub saturates.
      out += fmt::format("\tElapsed: {}\n", goDuration(std::chrono::nanoseconds::max()));
    }
    if (ss.stage == api::SyncStage::kSyncErrored) out += fmt::format("\tError: {}\n", ss.message);
  }
  return out;
}

std::string formatTipSet(std::string format, const chain::TipSet& ts) {
  const std::string height = std::to_string(ts.height());
  replaceAll(format, "<epoch>", height);
  replaceAll(format, "<height>", height);
  replaceAll(format, "<time>", goStamp(static_cast<int64_t>(ts.minTimestamp())));
  std::string blocks = "[ ";
  for (const auto& b : ts.blocks()) blocks += fmt::format("{}: {},", b.cid().toString(), b.miner.toString());
  blocks += " ]";
  std::string cids;
  for (const auto& c : ts.cids()) cids += (cids.empty() ? "" : ",") + c.toString();
  replaceAll(format, "<tipset>", cids);
  replaceAll(format, "<blocks>", blocks);
  if (format.find("<json_tipset>") != std::string::npos) {
    replaceAll(format, "<json_tipset>", codec::toJson(ts).dump());
  }
  replaceAll(format, "<weight>", primitives::toDecimal(ts.parentWeight()));
  return format;
}

Result<TipSetRef> parseTipSetRef(std::string_view text) {
  if (text.empty() || text == "@head") return TipSetRef{};
  if (text.front() == '@') {
    const std::string_view digits = text.substr(1);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        digits.size() > 18) {
      return fail(GenericError::kInvalidArgument,
                  fmt::format("parsing height tipset ref: '{}' is not @<height> or @head", text));
    }
    return TipSetRef{TipSetRef::Kind::kHeight, std::stoll(std::string(digits)), {}};
  }
  std::vector<cid::Cid> cids;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    std::string_view part = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front()))) part.remove_prefix(1);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) part.remove_suffix(1);
    auto c = cid::Cid::parse(part);
    if (!c) {
      return fail(GenericError::kInvalidArgument,
                  fmt::format("parsing tipset '{}': '{}' is not a CID: {}", text, part, c.error().message()));
    }
    cids.push_back(*c);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return TipSetRef{TipSetRef::Kind::kKey, 0, chain::TipSetKey(std::move(cids))};
}

}  // namespace fil::cli

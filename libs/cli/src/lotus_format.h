// Lotus's text forms that the `lotus` client commands print, rebuilt so
// that output reads as Lotus's does: sizes (types.SizeStr, DeciStr),
// durations (Go's time.Duration, hako/durafmt), times (Go's time.Stamp and
// time.Time.String()), lib/tablewriter, cliutil.EpochTime and cliutil.ETA,
// and the text of `sync status`. Pure functions of their inputs (the clock
// is passed in), so that tests pin them down.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fil/api/full_node_types.h"
#include "fil/chain/tipset.h"
#include "fil/primitives/big_int.h"

namespace fil::cli {

using primitives::BigInt;
using TimePoint = std::chrono::system_clock::time_point;

// types.SizeStr: binary units B..ZiB, "%.4g" ("0 B", "2 KiB", "1.5 GiB").
std::string sizeStr(const BigInt& bytes);
// types.DeciStr: the same steps with "", Ki, Mi... and "%.3g" ("0 B" for zero).
std::string deciStr(const BigInt& value);
// 100 * num / den as a double (types.BigDivFloat of num*100 by den); 0 when
// den is zero, where Lotus would panic.
double percentOf(const BigInt& num, const BigInt& den);

// Go's time.Duration.String(): "0s", "1.5s", "2m3.000000001s", "1h0m0s".
std::string goDuration(std::chrono::nanoseconds d);
// hako/durafmt Parse(d).LimitFirstN(n).String(): "1 hour 5 minutes";
// n = 0 keeps every unit.
std::string durafmt(std::chrono::nanoseconds d, int limit_first_n = 0);
// cliutil.EpochTime: "100 (now)", "90 (40 seconds ago)", "120 (in 1 minute 20 seconds)".
std::string epochTime(chain::ChainEpoch current, chain::ChainEpoch epoch, uint64_t block_delay_seconds);

// Go's time.Stamp in local time: "Jan _2 15:04:05".
std::string goStamp(int64_t unix_seconds);
// Go's time.Time.String() of a UTC time cut to whole seconds (what
// `lotus info` prints for a time it read from JSON): "2024-01-02 15:04:05 +0000 UTC".
std::string goUtcTime(TimePoint t);

// Go's %s of a []cid.Cid: "[c1 c2]" ("[]" when empty).
std::string cidList(const std::vector<cid::Cid>& cids);

// lib/tablewriter: columns padded to their widest cell plus two spaces
// (trailing spaces included, as Lotus prints them); a column no row wrote
// to is left out; a "new line" column is printed under its row as
// "  Name: value".
class TableWriter {
 public:
  struct Column {
    std::string name;
    bool separate_line = false;
    int lines = 0;
  };
  static Column col(std::string name) { return {std::move(name), false, 0}; }
  static Column newLineCol(std::string name) { return {std::move(name), true, 0}; }

  explicit TableWriter(std::vector<Column> columns) : columns_(std::move(columns)) {}
  // Cells by column name; a name not declared becomes a new column.
  void write(const std::vector<std::pair<std::string, std::string>>& row);
  std::string flush() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::optional<std::string>>> rows_;
};

// cliutil.ETA: an estimate of the time left from how fast `remaining` has
// been falling over the last `max_items` updates ("" on the first update).
class Eta {
 public:
  explicit Eta(size_t max_items) : max_items_(max_items) {}
  std::string update(int64_t remaining, TimePoint now);

 private:
  struct Item {
    TimePoint time;
    int64_t remaining;
  };
  size_t max_items_;
  std::vector<Item> items_;
  std::string last_;
};

// `lotus sync status`: "sync status:" then, per worker, its base, target,
// height difference, stage, height, elapsed time (to `now` while running)
// and error.
std::string syncStatusText(const api::SyncState& state, TimePoint now);

// One tipset line of `lotus chain list`: the placeholders <epoch>
// (<height>), <time>, <blocks>, <tipset>, <json_tipset> and <weight> of
// Lotus's --format filled in.
std::string formatTipSet(std::string format, const chain::TipSet& ts);

// Lotus's tipset references (`--tipset` of `lotus state`): empty or "@head"
// for the head, "@<height>" for the tipset at a height, otherwise
// comma-separated block CIDs.
struct TipSetRef {
  enum class Kind { kHead, kHeight, kKey } kind = Kind::kHead;
  chain::ChainEpoch height = 0;
  chain::TipSetKey key;
};
[[nodiscard]] Result<TipSetRef> parseTipSetRef(std::string_view text);

}  // namespace fil::cli

#include "fil/node/msg_selection.h"

#include <algorithm>

#include "fil/node/mpool.h"

namespace fil::node {
namespace {

struct Segment {
  size_t run = 0;    // which sender
  size_t first = 0;  // index of its first message in the run
  size_t count = 0;
  TokenAmount reward;  // sum of effective premium x gas limit
  int64_t gas = 0;     // sum of gas limits

  // a performs better than b: reward_a / gas_a > reward_b / gas_b.
  static bool better(const Segment& a, const Segment& b) { return a.reward * b.gas > b.reward * a.gas; }
};

}  // namespace

std::vector<SignedMessage> selectMessages(std::vector<SenderRun> runs, const TokenAmount& base_fee,
                                          int64_t gas_limit, size_t max_messages) {
  std::vector<Segment> segments;
  for (size_t r = 0; r < runs.size(); ++r) {
    auto& msgs = runs[r].messages;
    auto unpayable = std::find_if(msgs.begin(), msgs.end(),
                                  [&](const SignedMessage& m) { return m.message.gas_fee_cap < base_fee; });
    msgs.erase(unpayable, msgs.end());
    std::vector<Segment> stack;
    for (size_t i = 0; i < msgs.size(); ++i) {
      const Message& m = msgs[i].message;
      Segment next{r, i, 1, effectivePremium(m, base_fee) * m.gas_limit, m.gas_limit};
      // Keep performance strictly decreasing along the run.
      while (!stack.empty() && !Segment::better(stack.back(), next)) {
        Segment merged = stack.back();
        stack.pop_back();
        merged.count += next.count;
        merged.reward += next.reward;
        merged.gas += next.gas;
        next = merged;
      }
      stack.push_back(next);
    }
    segments.insert(segments.end(), stack.begin(), stack.end());
  }
  // Strictly decreasing within a run, so each segment comes after its predecessor.
  std::stable_sort(segments.begin(), segments.end(), Segment::better);

  std::vector<SignedMessage> out;
  std::vector<bool> stopped(runs.size(), false);
  int64_t gas_left = gas_limit;
  for (const Segment& s : segments) {
    if (stopped[s.run]) continue;
    const auto& msgs = runs[s.run].messages;
    size_t taken = 0;
    for (; taken < s.count; ++taken) {
      const Message& m = msgs[s.first + taken].message;
      if (m.gas_limit > gas_left || out.size() >= max_messages) break;
      gas_left -= m.gas_limit;
      out.push_back(msgs[s.first + taken]);
    }
    if (taken < s.count) stopped[s.run] = true;
  }
  return out;
}

}  // namespace fil::node

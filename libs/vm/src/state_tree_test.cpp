#include "fil/vm/state_tree.h"

#include <gtest/gtest.h>

#include "fil/vm/actors/account.h"
#include "fil/vm/actors/init.h"
#include "fil/vm/exit.h"
#include "vm_testing.h"

namespace fil::vm {
namespace {

using testing::fil;
using testing::testKey;

// A tree with an init actor, as every real state has.
StateTree treeWithInit(store::Blockstore& blocks) {
  auto tree = StateTree::create(blocks);
  EXPECT_TRUE(tree);
  auto init_state = init::makeState(blocks, "test");
  auto head = store::putCbor(blocks, *init_state);
  EXPECT_TRUE(tree->setActor(initActorAddress(), Actor{codeCid(ActorType::kInit), *head, 0, 0, std::nullopt}));
  return std::move(*tree);
}

Actor accountActor(store::Blockstore& blocks, const Address& key, const TokenAmount& balance) {
  auto head = store::putCbor(blocks, account::State{key});
  return Actor{codeCid(ActorType::kAccount), *head, 0, balance, std::nullopt};
}

TEST(StateTree, SetGetFlushAndReload) {
  store::MemoryBlockstore blocks;
  StateTree tree = treeWithInit(blocks);
  const Address key = testKey(1).address;
  auto id = tree.registerNewAddress(key);
  ASSERT_TRUE(id) << id.error().message();
  EXPECT_EQ(*id, kFirstNonSingletonId);
  ASSERT_TRUE(tree.setActor(Address::id(*id), accountActor(blocks, key, fil(5))));

  // Found by ID and by key address.
  auto by_key = tree.getActor(key);
  ASSERT_TRUE(by_key && by_key->has_value());
  EXPECT_EQ((*by_key)->balance, fil(5));
  auto root = tree.flush();
  ASSERT_TRUE(root);

  auto reloaded = StateTree::load(blocks, *root);
  ASSERT_TRUE(reloaded);
  auto again = reloaded->getActor(Address::id(*id));
  ASSERT_TRUE(again && again->has_value());
  EXPECT_EQ((*again)->balance, fil(5));
  auto looked_up = reloaded->lookupId(key);
  ASSERT_TRUE(looked_up && looked_up->has_value());
  EXPECT_EQ(**looked_up, *id);
  // An unknown key has no ID and no actor.
  auto unknown = reloaded->getActor(testKey(2).address);
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->has_value());
}

TEST(StateTree, RegisterTwiceIsRefused) {
  store::MemoryBlockstore blocks;
  StateTree tree = treeWithInit(blocks);
  const Address key = testKey(1).address;
  ASSERT_TRUE(tree.registerNewAddress(key));
  auto again = tree.registerNewAddress(key);
  ASSERT_FALSE(again);
  EXPECT_EQ(exitCodeOf(again.error()), ExitCode::kErrForbidden);
  auto next = tree.registerNewAddress(testKey(2).address);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, kFirstNonSingletonId + 1);
}

TEST(StateTree, RevertDropsChangesSinceSnapshot) {
  store::MemoryBlockstore blocks;
  StateTree tree = treeWithInit(blocks);
  const Address a = Address::id(200);
  ASSERT_TRUE(tree.setActor(a, accountActor(blocks, testKey(1).address, fil(1))));
  tree.snapshot();
  ASSERT_TRUE(tree.setActor(a, accountActor(blocks, testKey(1).address, fil(2))));
  auto new_id = tree.registerNewAddress(testKey(3).address);
  ASSERT_TRUE(new_id);
  tree.snapshot();  // nested: kept
  ASSERT_TRUE(tree.setActor(Address::id(201), accountActor(blocks, testKey(2).address, fil(3))));
  tree.clearSnapshot();
  EXPECT_EQ(tree.snapshotDepth(), 1u);
  ASSERT_TRUE(tree.revert());
  tree.clearSnapshot();

  auto actor = tree.getActor(a);
  ASSERT_TRUE(actor && actor->has_value());
  EXPECT_EQ((*actor)->balance, fil(1));
  auto gone = tree.getActor(Address::id(201));
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->has_value());
  // The ID allocation was reverted with the rest: the key is unknown and the
  // next allocation reuses the ID.
  auto key_id = tree.lookupId(testKey(3).address);
  ASSERT_TRUE(key_id);
  EXPECT_FALSE(key_id->has_value());
  auto reused = tree.registerNewAddress(testKey(4).address);
  ASSERT_TRUE(reused);
  EXPECT_EQ(*reused, *new_id);
}

TEST(StateTree, FlushWithOpenSnapshotAndRevertWithoutOneFail) {
  store::MemoryBlockstore blocks;
  StateTree tree = treeWithInit(blocks);
  auto r = tree.revert();
  ASSERT_FALSE(r);
  EXPECT_TRUE(isFatal(r.error()));
  tree.snapshot();
  auto f = tree.flush();
  ASSERT_FALSE(f);
  EXPECT_TRUE(isFatal(f.error()));
}

TEST(StateTree, DeleteActor) {
  store::MemoryBlockstore blocks;
  StateTree tree = treeWithInit(blocks);
  ASSERT_TRUE(tree.setActor(Address::id(300), accountActor(blocks, testKey(1).address, 0)));
  ASSERT_TRUE(tree.flush());
  ASSERT_TRUE(tree.deleteActor(Address::id(300)));
  auto root = tree.flush();
  ASSERT_TRUE(root);
  auto reloaded = StateTree::load(blocks, *root);
  auto gone = reloaded->getActor(Address::id(300));
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->has_value());
  auto missing = tree.deleteActor(testKey(9).address);
  ASSERT_FALSE(missing);
  EXPECT_EQ(exitCodeOf(missing.error()), ExitCode::kErrNotFound);
}

TEST(StateTree, RootDoesNotDependOnWriteOrder) {
  store::MemoryBlockstore blocks;
  StateTree a = treeWithInit(blocks);
  StateTree b = treeWithInit(blocks);
  for (ActorId id = 100; id < 400; ++id) {
    ASSERT_TRUE(a.setActor(Address::id(id), accountActor(blocks, testKey(1).address, TokenAmount(id))));
  }
  for (ActorId id = 399; id >= 100; --id) {
    ASSERT_TRUE(b.setActor(Address::id(id), accountActor(blocks, testKey(1).address, TokenAmount(id))));
  }
  auto ra = a.flush();
  auto rb = b.flush();
  ASSERT_TRUE(ra && rb);
  EXPECT_EQ(*ra, *rb);
  size_t count = 0;
  ASSERT_TRUE(a.forEach([&](ActorId, const Actor&) {
    ++count;
    return ok();
  }));
  EXPECT_EQ(count, 301u);  // 300 accounts and init
}

TEST(StateTree, LoadRefusesOtherVersionsAndNonRoots) {
  store::MemoryBlockstore blocks;
  StateTree tree = treeWithInit(blocks);
  auto root = tree.flush();
  ASSERT_TRUE(root);
  auto sr = store::getCbor<StateRoot>(blocks, *root);
  ASSERT_TRUE(sr);
  sr->version = 4;
  auto v4 = store::putCbor(blocks, *sr);
  auto loaded = StateTree::load(blocks, *v4);
  ASSERT_FALSE(loaded);
  EXPECT_TRUE(loaded.error().is(VmError::kInvalidState));
  EXPECT_NE(loaded.error().message().find("version 4"), std::string::npos);

  auto not_root = store::putCbor(blocks, uint64_t{7});
  auto bad = StateTree::load(blocks, *not_root);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().is(VmError::kInvalidState));
}

TEST(StateTree, VarintKeys) {
  // Go's binary.PutUvarint / PutVarint.
  EXPECT_EQ(uintKey(0), (Bytes{0x00}));
  EXPECT_EQ(uintKey(127), (Bytes{0x7f}));
  EXPECT_EQ(uintKey(300), (Bytes{0xac, 0x02}));
  EXPECT_EQ(intKey(-1), (Bytes{0x01}));
  EXPECT_EQ(intKey(1), (Bytes{0x02}));
  EXPECT_EQ(intKey(-65), (Bytes{0x81, 0x01}));
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{300}, ~uint64_t{0}}) {
    auto back = parseUintKey(uintKey(v));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, v);
  }
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1} << 40, INT64_MIN, INT64_MAX}) {
    auto back = parseIntKey(intKey(v));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, v);
  }
  EXPECT_FALSE(parseUintKey(Bytes{0x80}));        // unterminated
  EXPECT_FALSE(parseUintKey(Bytes{0x01, 0x02}));  // trailing byte
  EXPECT_FALSE(parseUintKey(Bytes{}));
  EXPECT_FALSE(parseUintKey(Bytes(11, 0xff)));    // overflow
}

TEST(Actor, CodeCidsAndFrc42) {
  for (int t = 1; t <= kActorTypeCount; ++t) {
    const auto type = static_cast<ActorType>(t);
    EXPECT_EQ(actorTypeOf(codeCid(type)), type) << actorTypeName(type);
  }
  EXPECT_EQ(actorTypeName(ActorType::kMiner), "storageminer");
  // Exported method numbers from builtin-actors (FRC-42 hashes of the names).
  EXPECT_EQ(frc42MethodNumber("AuthenticateMessage"), 2643134072u);
  EXPECT_EQ(frc42MethodNumber("ChangePeerID"), 1236548004u);
  EXPECT_EQ(frc42MethodNumber("ChangeMultiaddrs"), 1063480576u);
  EXPECT_EQ(frc42MethodNumber("PublishStorageDeals"), 2236929350u);
  EXPECT_EQ(frc42MethodNumber("CreateMiner"), 1173380165u);
  EXPECT_EQ(frc42MethodNumber("AddBalance"), 822473126u);
  EXPECT_EQ(frc42MethodNumber("WithdrawBalance"), 2280458852u);
}

}  // namespace
}  // namespace fil::vm

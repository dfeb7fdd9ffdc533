// config.toml of the full node (`lotus`) and of the storage miner
// (`lotus-miner`), with Lotus's sections, keys and defaults (Lotus
// node/config, v1.11-v1.23; the miner keeps v1.11's markets subsystem, so
// EnableMarkets defaults to true). Member initialisers are the defaults.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "fil/config/schema.h"

namespace fil::config {

using namespace std::chrono_literals;

struct ApiConfig {
  std::string listen_address = "/ip4/127.0.0.1/tcp/1234/http";
  std::string remote_listen_address;
  Duration timeout = 30s;
};
FIL_CONFIG_SECTION(ApiConfig,
  (listen_address, "ListenAddress", "Binding address for the API (a multiaddr ending in /http)."),
  (remote_listen_address, "RemoteListenAddress", "host:port other nodes and workers use to reach this API;\nthe miner advertises http://<it>/remote for sector files."),
  (timeout, "Timeout", "Kept for compatibility with Lotus configs; not used."))

struct BackupConfig {
  bool disable_metadata_log = true;
};
FIL_CONFIG_SECTION(BackupConfig,
  (disable_metadata_log, "DisableMetadataLog", "When false, every metadata datastore write is also appended to\nkvlog/metadata, so a crash between backups loses nothing."))

struct LoggingConfig {
  std::map<std::string, std::string> subsystem_levels = {{"example-subsystem", "INFO"}};
};
FIL_CONFIG_SECTION(LoggingConfig,
  (subsystem_levels, "SubsystemLevels", "Log level per subsystem, e.g. rpc = \"DEBUG\"."))

struct Libp2pConfig {
  std::vector<std::string> listen_addresses = {"/ip4/0.0.0.0/tcp/0", "/ip6/::/tcp/0"};
  std::vector<std::string> announce_addresses;
  std::vector<std::string> no_announce_addresses;
  std::vector<std::string> bootstrap_peers;
  std::vector<std::string> protected_peers;
  bool disable_nat_port_map = false;
  uint64_t conn_mgr_low = 150;
  uint64_t conn_mgr_high = 180;
  Duration conn_mgr_grace = 20s;
};
FIL_CONFIG_SECTION(Libp2pConfig,
  (listen_addresses, "ListenAddresses", "Addresses the libp2p host listens on (TCP)."),
  (announce_addresses, "AnnounceAddresses", "Addresses announced to peers instead of the listen addresses."),
  (no_announce_addresses, "NoAnnounceAddresses", "Addresses never announced."),
  (bootstrap_peers, "BootstrapPeers", "Peers dialled at start-up."),
  (protected_peers, "ProtectedPeers", "Peer IDs the connection manager never closes."),
  (disable_nat_port_map, "DisableNatPortMap", "Do not try to open ports on the router (we never do)."),
  (conn_mgr_low, "ConnMgrLow", "Connections kept when trimming."),
  (conn_mgr_high, "ConnMgrHigh", "Connections above which trimming starts."),
  (conn_mgr_grace, "ConnMgrGrace", "New connections are not trimmed for this long."))

struct PubsubConfig {
  bool bootstrapper = false;
  std::vector<std::string> direct_peers;
  std::vector<std::string> ip_colocation_whitelist;
  std::string remote_tracer;
  std::string json_tracer;
  std::string elastic_search_tracer;
  std::string elastic_search_index;
  std::string tracer_source_auth;
};
FIL_CONFIG_SECTION(PubsubConfig,
  (bootstrapper, "Bootstrapper", "Run pubsub in bootstrapper mode (not used on a devnet)."),
  (direct_peers, "DirectPeers", "Peers with a permanent pubsub link."),
  (ip_colocation_whitelist, "IPColocationWhitelist", "Subnets exempt from the co-location penalty."),
  (remote_tracer, "RemoteTracer", "Kept for compatibility; not used."),
  (json_tracer, "JsonTracer", "Kept for compatibility; not used."),
  (elastic_search_tracer, "ElasticSearchTracer", "Kept for compatibility; not used."),
  (elastic_search_index, "ElasticSearchIndex", "Kept for compatibility; not used."),
  (tracer_source_auth, "TracerSourceAuth", "Kept for compatibility; not used."))

// ---- full node --------------------------------------------------------------

struct ClientConfig {
  bool use_ipfs = false;
  bool ipfs_online_mode = false;
  std::string ipfs_maddr;
  bool ipfs_use_for_retrieval = false;
  uint64_t simultaneous_transfers_for_storage = 20;
  uint64_t simultaneous_transfers_for_retrieval = 20;
  bool off_chain_retrieval = false;
};
FIL_CONFIG_SECTION(ClientConfig,
  (use_ipfs, "UseIpfs", "Kept for compatibility; IPFS is not used."),
  (ipfs_online_mode, "IpfsOnlineMode", "Kept for compatibility; not used."),
  (ipfs_maddr, "IpfsMAddr", "Kept for compatibility; not used."),
  (ipfs_use_for_retrieval, "IpfsUseForRetrieval", "Kept for compatibility; not used."),
  (simultaneous_transfers_for_storage, "SimultaneousTransfersForStorage", "Storage deal data transfers in progress at once."),
  (simultaneous_transfers_for_retrieval, "SimultaneousTransfersForRetrieval", "Retrievals in progress at once."),
  (off_chain_retrieval, "OffChainRetrieval", "Retrieve without payment channels."))

struct WalletConfig {
  std::string remote_backend;
  bool enable_ledger = false;
  bool disable_local = false;
};
FIL_CONFIG_SECTION(WalletConfig,
  (remote_backend, "RemoteBackend", "API info of a remote wallet; empty for the local keystore."),
  (enable_ledger, "EnableLedger", "Not supported; must stay false."),
  (disable_local, "DisableLocal", "Use only the remote backend."))

struct FeeConfig {
  FilAmount default_max_fee = FilAmount::constant("0.07");
};
FIL_CONFIG_SECTION(FeeConfig,
  (default_max_fee, "DefaultMaxFee", "Most a message may pay in fees when the sender sets no limit."))

struct SplitstoreConfig {
  std::string cold_store_type = "discard";
  std::string hot_store_type = "badger";
  std::string mark_set_type = "badger";
  uint64_t hot_store_message_retention = 0;
  uint64_t hot_store_full_gc_frequency = 20;
  uint64_t hot_store_max_space_target = 650'000'000'000;
  uint64_t hot_store_max_space_threshold = 150'000'000'000;
  uint64_t hotstore_max_space_safety_buffer = 50'000'000'000;
};
FIL_CONFIG_SECTION(SplitstoreConfig,
  (cold_store_type, "ColdStoreType", "Kept for compatibility; the devnet chain store is one RocksDB."),
  (hot_store_type, "HotStoreType", "Kept for compatibility; not used."),
  (mark_set_type, "MarkSetType", "Kept for compatibility; not used."),
  (hot_store_message_retention, "HotStoreMessageRetention", "Kept for compatibility; not used."),
  (hot_store_full_gc_frequency, "HotStoreFullGCFrequency", "Kept for compatibility; not used."),
  (hot_store_max_space_target, "HotStoreMaxSpaceTarget", "Kept for compatibility; not used."),
  (hot_store_max_space_threshold, "HotStoreMaxSpaceThreshold", "Kept for compatibility; not used."),
  (hotstore_max_space_safety_buffer, "HotstoreMaxSpaceSafetyBuffer", "Kept for compatibility; not used."))

struct ChainstoreConfig {
  bool enable_splitstore = false;
  SplitstoreConfig splitstore;
};
FIL_CONFIG_SECTION(ChainstoreConfig,
  (enable_splitstore, "EnableSplitstore", "Kept for compatibility; must stay false."),
  (splitstore, "Splitstore", ""))

struct FullNodeConfig {
  ApiConfig api;
  BackupConfig backup;
  LoggingConfig logging;
  Libp2pConfig libp2p;
  PubsubConfig pubsub;
  ClientConfig client;
  WalletConfig wallet;
  FeeConfig fees;
  ChainstoreConfig chainstore;
};
FIL_CONFIG_SECTION(FullNodeConfig,
  (api, "API", ""), (backup, "Backup", ""), (logging, "Logging", ""), (libp2p, "Libp2p", ""), (pubsub, "Pubsub", ""),
  (client, "Client", ""), (wallet, "Wallet", ""), (fees, "Fees", ""), (chainstore, "Chainstore", ""))

// ---- storage miner ------------------------------------------------------------

struct SubsystemsConfig {
  bool enable_mining = true;
  bool enable_sealing = true;
  bool enable_sector_storage = true;
  bool enable_markets = true;
  std::string sealer_api_info;
  std::string sector_index_api_info;
};
FIL_CONFIG_SECTION(SubsystemsConfig,
  (enable_mining, "EnableMining", "Run block production (WinningPoSt)."),
  (enable_sealing, "EnableSealing", "Run the sealing pipeline."),
  (enable_sector_storage, "EnableSectorStorage", "Keep sector storage and the sector index."),
  (enable_markets, "EnableMarkets", "Run the storage and retrieval markets (needs a public libp2p host)."),
  (sealer_api_info, "SealerApiInfo", "API info of the sealing node, when EnableSealing is false."),
  (sector_index_api_info, "SectorIndexApiInfo", "API info of the sector storage node, when EnableSectorStorage is false."))

struct RetrievalPricingDefaultConfig {
  bool verified_deals_free_transfer = true;
};
FIL_CONFIG_SECTION(RetrievalPricingDefaultConfig,
  (verified_deals_free_transfer, "VerifiedDealsFreeTransfer", "Retrievals of verified deals' data are free."))

struct RetrievalPricingExternalConfig {
  std::string path;
};
FIL_CONFIG_SECTION(RetrievalPricingExternalConfig,
  (path, "Path", "Program that prices a retrieval (strategy \"external\")."))

struct RetrievalPricingConfig {
  std::string strategy = "default";
  RetrievalPricingDefaultConfig default_;
  RetrievalPricingExternalConfig external;
};
FIL_CONFIG_SECTION(RetrievalPricingConfig,
  (strategy, "Strategy", "\"default\" or \"external\"."),
  (default_, "Default", ""),
  (external, "External", ""))

struct DealmakingConfig {
  bool consider_online_storage_deals = true;
  bool consider_offline_storage_deals = true;
  bool consider_online_retrieval_deals = true;
  bool consider_offline_retrieval_deals = true;
  bool consider_verified_storage_deals = true;
  bool consider_unverified_storage_deals = true;
  std::vector<std::string> piece_cid_blocklist;
  Duration expected_seal_duration = 24h;
  Duration max_deal_start_delay = 336h;
  Duration publish_msg_period = 1h;
  uint64_t max_deals_per_publish_msg = 8;
  uint64_t max_provider_collateral_multiplier = 2;
  int64_t max_staging_deals_bytes = 0;
  uint64_t simultaneous_transfers_for_storage = 20;
  uint64_t simultaneous_transfers_for_storage_per_client = 0;
  uint64_t simultaneous_transfers_for_retrieval = 20;
  uint64_t start_epoch_sealing_buffer = 480;
  std::string filter;
  std::string retrieval_filter;
  RetrievalPricingConfig retrieval_pricing;
};
FIL_CONFIG_SECTION(DealmakingConfig,
  (consider_online_storage_deals, "ConsiderOnlineStorageDeals", "Accept storage deals whose data is transferred online."),
  (consider_offline_storage_deals, "ConsiderOfflineStorageDeals", "Accept offline storage deals (data imported by the operator)."),
  (consider_online_retrieval_deals, "ConsiderOnlineRetrievalDeals", "Accept online retrievals."),
  (consider_offline_retrieval_deals, "ConsiderOfflineRetrievalDeals", "Accept offline retrievals."),
  (consider_verified_storage_deals, "ConsiderVerifiedStorageDeals", "Accept verified (DataCap) deals."),
  (consider_unverified_storage_deals, "ConsiderUnverifiedStorageDeals", "Accept unverified deals."),
  (piece_cid_blocklist, "PieceCidBlocklist", "Piece CIDs always refused."),
  (expected_seal_duration, "ExpectedSealDuration", "How long sealing takes here; deals starting sooner are refused."),
  (max_deal_start_delay, "MaxDealStartDelay", "Deals starting later than this are refused."),
  (publish_msg_period, "PublishMsgPeriod", "Wait this long to batch deals into one PublishStorageDeals message."),
  (max_deals_per_publish_msg, "MaxDealsPerPublishMsg", "Most deals in one PublishStorageDeals message."),
  (max_provider_collateral_multiplier, "MaxProviderCollateralMultiplier", "Most provider collateral accepted, as a multiple of the minimum."),
  (max_staging_deals_bytes, "MaxStagingDealsBytes", "Most bytes of deal data staged at once; 0 for no limit."),
  (simultaneous_transfers_for_storage, "SimultaneousTransfersForStorage", "Deal data transfers at once."),
  (simultaneous_transfers_for_storage_per_client, "SimultaneousTransfersForStoragePerClient", "Deal data transfers at once per client; 0 for no limit."),
  (simultaneous_transfers_for_retrieval, "SimultaneousTransfersForRetrieval", "Retrievals at once."),
  (start_epoch_sealing_buffer, "StartEpochSealingBuffer", "Seal a sector early when a deal in it starts within this many epochs."),
  (filter, "Filter", "Program that decides on storage deals (gets the proposal as JSON on stdin; exit 0 accepts)."),
  (retrieval_filter, "RetrievalFilter", "Program that decides on retrievals."),
  (retrieval_pricing, "RetrievalPricing", ""))

struct IndexProviderConfig {
  bool enable = true;
  int64_t entries_cache_capacity = 1024;
  int64_t entries_chunk_size = 16384;
  std::string topic_name;
  bool purge_cache_on_start = false;
};
FIL_CONFIG_SECTION(IndexProviderConfig,
  (enable, "Enable", "Announce deal data to IPNI indexers (not built yet)."),
  (entries_cache_capacity, "EntriesCacheCapacity", "Kept for compatibility."),
  (entries_chunk_size, "EntriesChunkSize", "Kept for compatibility."),
  (topic_name, "TopicName", "Kept for compatibility."),
  (purge_cache_on_start, "PurgeCacheOnStart", "Kept for compatibility."))

struct ProvingConfig {
  int64_t parallel_check_limit = 32;
  Duration single_check_timeout = 10min;
  Duration partition_check_timeout = 20min;
  bool disable_builtin_window_post = false;
  bool disable_builtin_winning_post = false;
  bool disable_wdpost_pre_checks = false;
  int64_t max_partitions_per_post_message = 0;
  int64_t max_partitions_per_recovery_message = 0;
  bool single_recovering_partition_per_post_message = false;
};
FIL_CONFIG_SECTION(ProvingConfig,
  (parallel_check_limit, "ParallelCheckLimit", "Sectors checked at once before a PoSt."),
  (single_check_timeout, "SingleCheckTimeout", "Longest check of one sector."),
  (partition_check_timeout, "PartitionCheckTimeout", "Longest check of one partition."),
  (disable_builtin_window_post, "DisableBuiltinWindowPoSt", "Leave WindowPoSt to workers."),
  (disable_builtin_winning_post, "DisableBuiltinWinningPoSt", "Leave WinningPoSt to workers."),
  (disable_wdpost_pre_checks, "DisableWDPoStPreChecks", "Skip reading sectors before WindowPoSt."),
  (max_partitions_per_post_message, "MaxPartitionsPerPoStMessage", "Most partitions in one SubmitWindowedPoSt; 0 for the network limit."),
  (max_partitions_per_recovery_message, "MaxPartitionsPerRecoveryMessage", "Most partitions in one DeclareFaultsRecovered; 0 for no limit."),
  (single_recovering_partition_per_post_message, "SingleRecoveringPartitionPerPostMessage", "Put recovering partitions in messages of their own."))

struct SealingConfig {
  uint64_t max_wait_deals_sectors = 2;
  uint64_t max_sealing_sectors = 0;
  uint64_t max_sealing_sectors_for_deals = 0;
  bool prefer_new_sectors_for_deals = false;
  uint64_t max_upgrading_sectors = 0;
  uint64_t min_upgrade_sector_expiration = 0;
  uint64_t min_target_upgrade_sector_expiration = 0;
  Duration committed_capacity_sector_lifetime = 12960h;  // 540 days
  Duration wait_deals_delay = 6h;
  bool always_keep_unsealed_copy = true;
  bool finalize_early = false;
  bool make_new_sector_for_deals = true;
  bool make_cc_sectors_available = false;
  bool collateral_from_miner_balance = false;
  FilAmount available_balance_buffer = FilAmount::constant("0");
  bool disable_collateral_fallback = false;
  bool batch_pre_commits = true;
  int64_t max_pre_commit_batch = 256;
  Duration pre_commit_batch_wait = 24h;
  Duration pre_commit_batch_slack = 3h;
  bool aggregate_commits = true;
  int64_t min_commit_batch = 4;
  int64_t max_commit_batch = 819;
  Duration commit_batch_wait = 24h;
  Duration commit_batch_slack = 1h;
  FilAmount batch_pre_commit_above_base_fee = FilAmount::constant("0.00000000032");
  FilAmount aggregate_above_base_fee = FilAmount::constant("0.00000000032");
  uint64_t max_sector_prove_commits_submitted_per_epoch = 20;
  uint64_t terminate_batch_max = 100;
  uint64_t terminate_batch_min = 1;
  Duration terminate_batch_wait = 5min;
};
FIL_CONFIG_SECTION(SealingConfig,
  (max_wait_deals_sectors, "MaxWaitDealsSectors", "Sectors open for deals at once."),
  (max_sealing_sectors, "MaxSealingSectors", "Sectors sealing at once; 0 for no limit."),
  (max_sealing_sectors_for_deals, "MaxSealingSectorsForDeals", "Sectors with deals sealing at once; 0 for no limit."),
  (prefer_new_sectors_for_deals, "PreferNewSectorsForDeals", "Prefer new sectors to snap-upgrades for deals."),
  (max_upgrading_sectors, "MaxUpgradingSectors", "Snap-upgrades at once."),
  (min_upgrade_sector_expiration, "MinUpgradeSectorExpiration", "Kept for compatibility."),
  (min_target_upgrade_sector_expiration, "MinTargetUpgradeSectorExpiration", "Kept for compatibility."),
  (committed_capacity_sector_lifetime, "CommittedCapacitySectorLifetime", "Lifetime of sectors without deals."),
  (wait_deals_delay, "WaitDealsDelay", "Longest a sector waits for more deals before sealing."),
  (always_keep_unsealed_copy, "AlwaysKeepUnsealedCopy", "Keep an unsealed copy of deal data for fast retrieval."),
  (finalize_early, "FinalizeEarly", "Finalize (drop layers) before ProveCommit lands."),
  (make_new_sector_for_deals, "MakeNewSectorForDeals", "Open a new sector when no sector fits a deal."),
  (make_cc_sectors_available, "MakeCCSectorsAvailable", "Make committed-capacity sectors available for snap-deals."),
  (collateral_from_miner_balance, "CollateralFromMinerBalance", "Pay collateral from the miner's available balance."),
  (available_balance_buffer, "AvailableBalanceBuffer", "Balance kept back when paying collateral from it."),
  (disable_collateral_fallback, "DisableCollateralFallback", "Never send collateral with the message."),
  (batch_pre_commits, "BatchPreCommits", "Batch PreCommits into PreCommitSectorBatch messages."),
  (max_pre_commit_batch, "MaxPreCommitBatch", "Most sectors in one PreCommit batch."),
  (pre_commit_batch_wait, "PreCommitBatchWait", "Longest wait to fill a PreCommit batch."),
  (pre_commit_batch_slack, "PreCommitBatchSlack", "Send a PreCommit batch this long before a ticket or deal would expire."),
  (aggregate_commits, "AggregateCommits", "Aggregate ProveCommits."),
  (min_commit_batch, "MinCommitBatch", "Fewest sectors worth aggregating."),
  (max_commit_batch, "MaxCommitBatch", "Most sectors in one aggregate."),
  (commit_batch_wait, "CommitBatchWait", "Longest wait to fill a commit batch."),
  (commit_batch_slack, "CommitBatchSlack", "Send a commit batch this long before a deal would expire."),
  (batch_pre_commit_above_base_fee, "BatchPreCommitAboveBaseFee", "Batch PreCommits only when the base fee is above this."),
  (aggregate_above_base_fee, "AggregateAboveBaseFee", "Aggregate only when the base fee is above this."),
  (max_sector_prove_commits_submitted_per_epoch, "MaxSectorProveCommitsSubmittedPerEpoch", "Most ProveCommit messages per epoch."),
  (terminate_batch_max, "TerminateBatchMax", "Most sectors in one TerminateSectors message."),
  (terminate_batch_min, "TerminateBatchMin", "Fewest sectors for a TerminateSectors message."),
  (terminate_batch_wait, "TerminateBatchWait", "Longest wait to fill a termination batch."))

struct SealerConfig {
  int64_t parallel_fetch_limit = 10;
  bool allow_sector_download = true;
  bool allow_add_piece = true;
  bool allow_pre_commit1 = true;
  bool allow_pre_commit2 = true;
  bool allow_commit = true;
  bool allow_unseal = true;
  bool allow_replica_update = true;
  bool allow_prove_replica_update2 = true;
  bool allow_regen_sector_key = true;
  std::string local_worker_name;
  std::string assigner = "utilization";
  bool disallow_remote_finalize = false;
  std::string resource_filtering = "hardware";
};
FIL_CONFIG_SECTION(SealerConfig,
  (parallel_fetch_limit, "ParallelFetchLimit", "Sector fetches at once."),
  (allow_sector_download, "AllowSectorDownload", "Let workers download sectors from this node."),
  (allow_add_piece, "AllowAddPiece", "This node's own worker may run AddPiece."),
  (allow_pre_commit1, "AllowPreCommit1", "This node's own worker may run PreCommit1."),
  (allow_pre_commit2, "AllowPreCommit2", "This node's own worker may run PreCommit2."),
  (allow_commit, "AllowCommit", "This node's own worker may run Commit."),
  (allow_unseal, "AllowUnseal", "This node's own worker may unseal."),
  (allow_replica_update, "AllowReplicaUpdate", "This node's own worker may run ReplicaUpdate."),
  (allow_prove_replica_update2, "AllowProveReplicaUpdate2", "This node's own worker may run ProveReplicaUpdate2."),
  (allow_regen_sector_key, "AllowRegenSectorKey", "This node's own worker may regenerate sector keys."),
  (local_worker_name, "LocalWorkerName", "Name of the built-in worker; the hostname when empty."),
  (assigner, "Assigner", "How tasks go to workers: \"utilization\" or \"spread\"."),
  (disallow_remote_finalize, "DisallowRemoteFinalize", "Finalize only on the worker holding the sector."),
  (resource_filtering, "ResourceFiltering", "\"hardware\" or \"disabled\"."))

struct BatchFeeConfig {
  FilAmount base = FilAmount::constant("0");
  FilAmount per_sector;
};
FIL_CONFIG_SECTION(BatchFeeConfig,
  (base, "Base", "Fee limit for a batch, before the per-sector part."),
  (per_sector, "PerSector", "Fee limit added per sector in the batch."))

struct MinerFeeConfig {
  FilAmount max_pre_commit_gas_fee = FilAmount::constant("0.025");
  FilAmount max_commit_gas_fee = FilAmount::constant("0.05");
  BatchFeeConfig max_pre_commit_batch_gas_fee{FilAmount::constant("0"), FilAmount::constant("0.02")};
  BatchFeeConfig max_commit_batch_gas_fee{FilAmount::constant("0"), FilAmount::constant("0.03")};
  FilAmount max_terminate_gas_fee = FilAmount::constant("0.5");
  FilAmount max_window_post_gas_fee = FilAmount::constant("5");
  FilAmount max_publish_deals_fee = FilAmount::constant("0.05");
  FilAmount max_market_balance_add_fee = FilAmount::constant("0.007");
};
FIL_CONFIG_SECTION(MinerFeeConfig,
  (max_pre_commit_gas_fee, "MaxPreCommitGasFee", "Fee limit of a PreCommitSector message."),
  (max_commit_gas_fee, "MaxCommitGasFee", "Fee limit of a ProveCommitSector message."),
  (max_pre_commit_batch_gas_fee, "MaxPreCommitBatchGasFee", ""),
  (max_commit_batch_gas_fee, "MaxCommitBatchGasFee", ""),
  (max_terminate_gas_fee, "MaxTerminateGasFee", "Fee limit of a TerminateSectors message."),
  (max_window_post_gas_fee, "MaxWindowPoStGasFee", "Fee limit of a SubmitWindowedPoSt message."),
  (max_publish_deals_fee, "MaxPublishDealsFee", "Fee limit of a PublishStorageDeals message."),
  (max_market_balance_add_fee, "MaxMarketBalanceAddFee", "Fee limit of a market AddBalance message."))

struct MinerAddressConfig {
  std::vector<std::string> pre_commit_control;
  std::vector<std::string> commit_control;
  std::vector<std::string> terminate_control;
  std::vector<std::string> deal_publish_control;
  bool disable_owner_fallback = false;
  bool disable_worker_fallback = false;
};
FIL_CONFIG_SECTION(MinerAddressConfig,
  (pre_commit_control, "PreCommitControl", "Addresses that send PreCommit messages."),
  (commit_control, "CommitControl", "Addresses that send ProveCommit messages."),
  (terminate_control, "TerminateControl", "Addresses that send TerminateSectors messages."),
  (deal_publish_control, "DealPublishControl", "Addresses that send PublishStorageDeals messages."),
  (disable_owner_fallback, "DisableOwnerFallback", "Never send from the owner address."),
  (disable_worker_fallback, "DisableWorkerFallback", "Never send from the worker address."))

struct DagStoreConfig {
  std::string root_dir;
  int64_t max_concurrent_index = 5;
  int64_t max_concurrent_ready_fetches = 0;
  int64_t max_concurrent_unseals = 5;
  int64_t max_concurrency_storage_calls = 100;
  Duration gc_interval = 1min;
};
FIL_CONFIG_SECTION(DagStoreConfig,
  (root_dir, "RootDir", "Where the piece index lives; <repo>/dagstore when empty."),
  (max_concurrent_index, "MaxConcurrentIndex", "Pieces indexed at once."),
  (max_concurrent_ready_fetches, "MaxConcurrentReadyFetches", "Unsealed pieces fetched at once; 0 for no limit."),
  (max_concurrent_unseals, "MaxConcurrentUnseals", "Unseals at once."),
  (max_concurrency_storage_calls, "MaxConcurrencyStorageCalls", "Calls to the sealing node at once."),
  (gc_interval, "GCInterval", "How often unused piece readers are closed."))

struct MinerConfig {
  ApiConfig api{"/ip4/127.0.0.1/tcp/2345/http", "127.0.0.1:2345", 30s};
  BackupConfig backup;
  LoggingConfig logging;
  Libp2pConfig libp2p;
  PubsubConfig pubsub;
  SubsystemsConfig subsystems;
  DealmakingConfig dealmaking;
  IndexProviderConfig index_provider;
  ProvingConfig proving;
  SealingConfig sealing;
  SealerConfig storage;
  MinerFeeConfig fees;
  MinerAddressConfig addresses;
  DagStoreConfig dagstore;
};
FIL_CONFIG_SECTION(MinerConfig,
  (api, "API", ""), (backup, "Backup", ""), (logging, "Logging", ""), (libp2p, "Libp2p", ""), (pubsub, "Pubsub", ""),
  (subsystems, "Subsystems", ""), (dealmaking, "Dealmaking", ""), (index_provider, "IndexProvider", ""),
  (proving, "Proving", ""), (sealing, "Sealing", ""), (storage, "Storage", ""), (fees, "Fees", ""),
  (addresses, "Addresses", ""), (dagstore, "DAGStore", ""))

}  // namespace fil::config

// One declaration per API method: its name, its permission, and (from the
// interface's member function) its parameter and result types. The same
// table drives the server's dispatch and permission check and the typed
// client, so they cannot disagree; a method without a permission does not
// compile.
//
//   class CommonApi {
//    public:
//     virtual Result<std::vector<std::string>> authVerify(const std::string& token) = 0;
//   };
//   inline constexpr auto kAuthVerify = rpc::method<&CommonApi::authVerify>("AuthVerify", Perm::kRead);
//   inline constexpr auto kCommonMethods = std::make_tuple(kAuthVerify, ...);
#pragma once

#include <string_view>
#include <tuple>
#include <type_traits>

#include "fil/base/error.h"
#include "fil/rpc/permission.h"

namespace fil::rpc {

// The JSON-RPC names are "Filecoin.<Name>".
inline constexpr std::string_view kMethodPrefix = "Filecoin.";

template <typename F>
struct MemberTraits;

template <typename Api, typename R, typename... Args>
struct MemberTraits<Result<R> (Api::*)(Args...)> {
  using Interface = Api;
  using ResultType = R;
  using ParamTypes = std::tuple<std::decay_t<Args>...>;
  static constexpr size_t kArity = sizeof...(Args);
};

template <auto F>
struct Method {
  using Traits = MemberTraits<decltype(F)>;
  using Interface = typename Traits::Interface;
  using ResultType = typename Traits::ResultType;
  using ParamTypes = typename Traits::ParamTypes;
  static constexpr auto kFunction = F;

  std::string_view name;  // without the "Filecoin." prefix
  Perm perm;
};

// The permission is a required argument: forgetting it does not compile.
template <auto F>
constexpr Method<F> method(std::string_view name, Perm perm) {
  return Method<F>{name, perm};
}

}  // namespace fil::rpc

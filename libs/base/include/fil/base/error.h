// Errors as values: every expected failure is returned as a Result, never thrown.
//
// Each component declares its own error enum, starting at 1 so that no error
// reads as success, describes each value, and registers the enum once:
//
//   enum class CborError { kTruncated = 1, kNonCanonical };
//   std::string_view describe(CborError e);         // found by ADL
//   FIL_REGISTER_ERROR(fil::codec::CborError, "cbor")  // at global scope
//
//   Result<Cid> parse(std::string_view s) {
//     if (s.empty()) return fail(CidError::kEmpty, "empty CID string");
//     FIL_ASSIGN_OR_RETURN(auto bytes, decodeBase32(s.substr(1)));
//     FIL_TRY(checkVersion(bytes));
//     ...
//   }
//
// An Error keeps a std::error_code (to compare with `is(CborError::kTruncated)`)
// and a message written for the user, naming what was wrong.
#pragma once

#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include <tl/expected.hpp>

namespace fil {

// Specialised by FIL_REGISTER_ERROR for each error enum.
template <typename E>
struct ErrorTraits {
  static constexpr bool kRegistered = false;
};

template <typename E>
concept ErrorEnum = std::is_enum_v<E> && ErrorTraits<E>::kRegistered;

namespace detail {
template <ErrorEnum E>
class EnumErrorCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return ErrorTraits<E>::kDomain; }
  std::string message(int value) const override {
    return std::string(describe(static_cast<E>(value)));
  }
  static const EnumErrorCategory& instance() {
    static const EnumErrorCategory category;
    return category;
  }
};
}  // namespace detail

template <ErrorEnum E>
std::error_code makeErrorCode(E e) {
  return {static_cast<int>(e), detail::EnumErrorCategory<E>::instance()};
}

class [[nodiscard]] Error {
 public:
  Error(std::error_code code, std::string message)
      : code_(code), message_(std::move(message)) {}

  template <ErrorEnum E>
  Error(E e, std::string message = {})  // NOLINT(google-explicit-constructor)
      : code_(makeErrorCode(e)), message_(std::move(message)) {}

  const std::error_code& code() const { return code_; }

  // The user-facing text: the specific message if one was given, otherwise
  // the generic description of the code.
  std::string message() const { return message_.empty() ? code_.message() : message_; }

  template <ErrorEnum E>
  bool is(E e) const {
    return code_ == makeErrorCode(e);
  }

  // Prefixes what the caller was doing: "reading /a/b: truncated input".
  Error withContext(std::string_view context) const& {
    return Error(code_, std::string(context) + ": " + message());
  }
  Error withContext(std::string_view context) && {
    message_ = std::string(context) + ": " + message();
    return std::move(*this);
  }

  friend bool operator==(const Error& a, const Error& b) { return a.code_ == b.code_; }

 private:
  std::error_code code_;
  std::string message_;
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

template <ErrorEnum E>
tl::unexpected<Error> fail(E e, std::string message = {}) {
  return tl::unexpected<Error>(Error(e, std::move(message)));
}

inline Status ok() { return {}; }

// Errors that belong to no component: bad arguments to a generic helper,
// an OS call that failed.
enum class GenericError {
  kInvalidArgument = 1,
  kOutOfRange,
  kIo,
  kNotFound,
  kAlreadyExists,
  kPermission,
  kCancelled,
  kTimeout,
  kInternal,
};
std::string_view describe(GenericError e);

// An Error from errno after a failed system call, naming what was attempted.
Error errnoError(std::string_view what, int errno_value);

}  // namespace fil

#define FIL_REGISTER_ERROR(Enum, domain)              \
  template <>                                         \
  struct fil::ErrorTraits<Enum> {                     \
    static constexpr bool kRegistered = true;         \
    static constexpr const char* kDomain = domain;    \
  }

FIL_REGISTER_ERROR(fil::GenericError, "generic");

#define FIL_CONCAT_INNER(a, b) a##b
#define FIL_CONCAT(a, b) FIL_CONCAT_INNER(a, b)

// Returns the error of a Result-valued expression from the enclosing function.
#define FIL_TRY(expr)                                          \
  do {                                                         \
    auto&& fil_try_result_ = (expr);                           \
    if (!fil_try_result_) {                                    \
      return ::tl::unexpected<::fil::Error>(                   \
          std::move(fil_try_result_).error());                 \
    }                                                          \
  } while (false)

// FIL_ASSIGN_OR_RETURN(auto x, expr): declares x from the value of expr, or
// returns expr's error.
#define FIL_ASSIGN_OR_RETURN(decl, expr) \
  FIL_ASSIGN_OR_RETURN_IMPL(FIL_CONCAT(fil_result_, __COUNTER__), decl, expr)
#define FIL_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr)                         \
  auto tmp = (expr);                                                       \
  if (!tmp) {                                                              \
    return ::tl::unexpected<::fil::Error>(std::move(tmp).error());         \
  }                                                                        \
  decl = std::move(*tmp)

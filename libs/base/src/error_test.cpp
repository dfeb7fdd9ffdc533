#include <gtest/gtest.h>

#include "fil/base/error.h"
#include "fil/base/hex.h"

namespace fil {
namespace {

Result<int> parsePositive(int v) {
  if (v <= 0) return fail(GenericError::kOutOfRange, "value must be positive");
  return v;
}

Result<int> doubled(int v) {
  FIL_ASSIGN_OR_RETURN(int x, parsePositive(v));
  return 2 * x;
}

Status check(int v) {
  FIL_TRY(parsePositive(v));
  return ok();
}

TEST(Error, PropagatesThroughMacros) {
  EXPECT_EQ(*doubled(21), 42);
  auto e = doubled(-1);
  ASSERT_FALSE(e);
  EXPECT_TRUE(e.error().is(GenericError::kOutOfRange));
  EXPECT_FALSE(e.error().is(GenericError::kInvalidArgument));
  EXPECT_EQ(e.error().message(), "value must be positive");
  EXPECT_TRUE(check(1));
  EXPECT_FALSE(check(0));
}

TEST(Error, NoErrorValueIsZero) {
  // Enums start at 1 so that a default-initialised code never reads as an error kind.
  EXPECT_NE(makeErrorCode(GenericError::kInvalidArgument).value(), 0);
  EXPECT_NE(makeErrorCode(EncodingError::kInvalidCharacter).value(), 0);
}

TEST(Error, DomainsAreDistinct) {
  Error a(GenericError::kInvalidArgument);
  Error b(EncodingError::kInvalidCharacter);
  EXPECT_FALSE(a == b);  // both are value 1, in different categories
  EXPECT_STREQ(a.code().category().name(), "generic");
  EXPECT_STREQ(b.code().category().name(), "encoding");
}

TEST(Error, FallsBackToDescriptionAndAddsContext) {
  Error e(EncodingError::kTruncated);
  EXPECT_EQ(e.message(), "truncated input");
  EXPECT_EQ(e.withContext("reading header").message(), "reading header: truncated input");
}

TEST(Error, ErrnoMapping) {
  EXPECT_TRUE(errnoError("open /x", ENOENT).is(GenericError::kNotFound));
  EXPECT_TRUE(errnoError("open /x", EACCES).is(GenericError::kPermission));
  EXPECT_NE(errnoError("open /x", ENOSPC).message().find("open /x: "), std::string::npos);
}

}  // namespace
}  // namespace fil

#pragma once
// Binary columns (PostgreSQL bytea, SQLite BLOB, MariaDB LONGBLOB / VARBINARY) map to
// std::vector<std::byte>: every byte value, embedded zero bytes included, round-trips.
//
//   struct Attachment { std::int64_t id; eagerload::bytes data; std::optional<eagerload::bytes> thumb; };
#include <cstddef>
#include <vector>

namespace eagerload {

using bytes = std::vector<std::byte>;

}  // namespace eagerload

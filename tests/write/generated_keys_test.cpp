// insert_all of a model with a generated key: the keys come back into the rows in input
// order, one statement per chunk, on every backend; across chunk boundaries too.
#include <algorithm>
#include <map>
#include <vector>

#include "../support/backend.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/database.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/order_by.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "eagerload/update.hpp"
#include "write_models.hpp"

using namespace eagerload;
using namespace writes;

namespace {
std::vector<Ticket> tickets(std::int32_t n, std::int32_t from = 0) {
    std::vector<Ticket> rows;
    for (std::int32_t i = 0; i < n; ++i) {
        std::string title = "t";  // not "t" + std::to_string(): g++ 12's -Wrestrict false positive
        title += std::to_string(from + i);
        rows.push_back(Ticket{0, title, from + i, 1});
    }
    return rows;
}

// Every row's key points at the row the database stored for that input row.
void check_keys_match_rows(const database& db, const std::vector<Ticket>& rows) {
    std::map<std::int64_t, Ticket> stored;
    for (Ticket& t : select<Ticket>().all(db)) stored.emplace(t.id, std::move(t));
    std::vector<std::int64_t> ids;
    for (const Ticket& r : rows) {
        const auto it = stored.find(r.id);
        REQUIRE(it != stored.end());
        CHECK(it->second.position == r.position);
        CHECK(it->second.title == r.title);
        ids.push_back(r.id);
    }
    std::sort(ids.begin(), ids.end());
    CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
}
}  // namespace

EAGERLOAD_TEST("insert_all writes generated keys back in input order, one statement") {
    create_table<Ticket>(db);
    auto rows = tickets(10);
    query_counter counter(db);
    insert_all(db, rows);
    CHECK(counter.count() == 1);
    for (std::size_t i = 1; i < rows.size(); ++i) CHECK(rows[i].id != rows[i - 1].id);
    check_keys_match_rows(db, rows);
}

EAGERLOAD_TEST("insert_all generated keys stay in input order across chunk boundaries, thousands of rows") {
    create_table<Ticket>(db);
    auto first = tickets(3, 1000000);
    insert(db, first[0]);
    insert(db, first[1]);
    insert(db, first[2]);
    CHECK(erase<Ticket>(db, first[2].id) == 1);  // a gap at the top of the key range
    const rows_per_statement small(1000);
    auto rows = tickets(2500);
    // Input order is not key order of anything: reverse half of it.
    std::reverse(rows.begin(), rows.begin() + 1200);
    query_counter counter(db);
    insert_all(db, rows);
    CHECK(counter.count() == 3);  // 1000 + 1000 + 500
    check_keys_match_rows(db, rows);
    CHECK(select<Ticket>().count(db) == 2502);
}

EAGERLOAD_TEST("insert_all generated keys run in the caller's transaction and roll back with it") {
    create_table<Ticket>(db);
    const rows_per_statement small(4);
    auto rows = tickets(10);
    {
        transaction tx(db);
        insert_all(db, rows);
        CHECK(select<Ticket>().count(db) == 10);
    }
    CHECK(select<Ticket>().count(db) == 0);
    auto again = tickets(10);
    insert_all(db, again);
    check_keys_match_rows(db, again);
}

EAGERLOAD_TEST("insert_all of generated keys is all or nothing across chunks") {
    create_table<Ticket>(db);
    create_unique_index(db, "tickets_by_position", asc<&Ticket::position>);
    const rows_per_statement small(3);
    auto rows = tickets(8);
    rows[7].position = rows[0].position;  // a duplicate in the third chunk
    CHECK_THROWS_AS(insert_all(db, rows), unique_violation);
    CHECK(select<Ticket>().count(db) == 0);  // the first two chunks are gone with it
}

EAGERLOAD_TEST("insert_all of no rows runs no statement") {
    create_table<Ticket>(db);
    std::vector<Ticket> none;
    query_counter counter(db);
    insert_all(db, none);
    CHECK(counter.count() == 0);
}

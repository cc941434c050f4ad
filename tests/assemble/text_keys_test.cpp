// Text keys that differ only in case: 'abc' and 'ABC' are two keys to C++. Every
// backend either groups them exactly or stops with the loader's clear error; never a
// child under the wrong parent, never a child lost.
#include <cstdint>
#include <string>
#include <vector>

#include "../support/backend.hpp"
#include "../support/ids.hpp"
#include "eagerload/eagerload.hpp"

using namespace eagerload;

namespace {
struct Team {
    std::string code;
    std::string name;
};
struct Player {
    std::int64_t id;
    std::string team_code;
};
}  // namespace
BOOST_HANA_ADAPT_STRUCT(Team, code, name);
BOOST_HANA_ADAPT_STRUCT(Player, id, team_code);
template <>
struct eagerload::model<Team> {
    static constexpr std::string_view table = "teams";
    static constexpr auto key = &Team::code;
};
template <>
struct eagerload::model<Player> {
    static constexpr std::string_view table = "players";
    static constexpr auto key = &Player::id;
};

namespace {
constexpr auto players = has_many<&Player::team_code, &Team::code>;
constexpr auto team = belongs_to<&Player::team_code, &Team::code>;

using eagerload_test::ids;
using V = std::vector<std::int64_t>;

// teams.code is the key: create_table gives it the backend's key type, which compares
// exactly everywhere (MariaDB: utf8mb4_nopad_bin), so both teams can exist. The
// players' team_code is plain text, with the database's default collation: on
// MariaDB it ignores case.
void seed(const database& db) {
    create_table<Team>(db);
    create_table<Player>(db);
    insert_all(db, std::vector<Team>{{"abc", "lower"}, {"ABC", "upper"}});
    insert_all(db, std::vector<Player>{{1, "abc"}, {2, "ABC"}, {3, "abc"}, {4, "ABC"}});
}
}  // namespace

EAGERLOAD_TEST("text keys differing only in case: every parent loaded, children group exactly") {
    seed(db);
    const auto rows = select<Team>().order_by(asc<&Team::name>).prefetch(players, select<Player>().order_by(asc<&Player::id>)).load(db);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].code == "abc");
    CHECK(ids(rows[0][players]) == V{1, 3});
    CHECK(rows[1].code == "ABC");
    CHECK(ids(rows[1][players]) == V{2, 4});

    // A per-parent limit ranks each key's rows apart: one parent's rows never use up
    // another's limit (on MariaDB the rank partitions by the key's bytes).
    const auto top = select<Team>()
                         .order_by(asc<&Team::name>)
                         .prefetch(players, select<Player>().order_by(asc<&Player::id>).limit_per_parent(1))
                         .load(db);
    CHECK(ids(top[0][players]) == V{1});
    CHECK(ids(top[1][players]) == V{2});

    // The other direction: each player finds its own team, joined or prefetched.
    const auto joined = select<Player>().order_by(asc<&Player::id>).join(team).load(db);
    CHECK(joined[0][team].name == "lower");
    CHECK(joined[1][team].name == "upper");
    const auto prefetched = select<Player>().order_by(asc<&Player::id>).prefetch(team).load(db);
    CHECK(prefetched[2][team].name == "lower");
    CHECK(prefetched[3][team].name == "upper");
}

EAGERLOAD_TEST("text keys differing only in case: one parent loaded, exact grouping or the loader's clear error") {
    seed(db);
    // The database's own comparison on the plain text column.
    const long long matching = select<Player>().where(col<&Player::team_code> == "abc").count(db);
    const auto q = select<Team>().where(col<&Team::code> == "abc").prefetch(players, select<Player>().order_by(asc<&Player::id>));
    if (ctx.quirks().text_compares_case_insensitively) {
        // 'ABC' rows match the parent key 'abc' in SQL, but no parent has the key 'ABC':
        // the loader refuses to guess rather than put them under 'abc'.
        CHECK(matching == 4);
        CHECK_THROWS_WITH_AS(q.load(db),
                             doctest::Contains("a row of \"players\" with team_code = 'ABC' came back for a parent key "
                                               "list that does not contain that value"),
                             error);
    } else {
        CHECK(matching == 2);
        const auto rows = q.load(db);
        REQUIRE(rows.size() == 1);
        CHECK(ids(rows[0][players]) == V{1, 3});
    }
}

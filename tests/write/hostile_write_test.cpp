// Hostile strings through every write: insert, insert_all, update (whole row, only<>,
// set), upsert, upsert_all and erase by a typed where. Each is stored and read back
// verbatim, and no statement changed the schema. A NUL is stored where the database's
// text can hold one, else refused with a clear error; a 1 MB string goes through too.
#include <string>
#include <vector>

#include "../support/backend.hpp"
#include "../support/hostile_strings.hpp"
#include "eagerload/database.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/order_by.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "eagerload/update.hpp"
#include "eagerload/upsert.hpp"
#include "write_models.hpp"

namespace hostile {
struct Memo {
    std::int64_t id;
    std::int64_t code;
    std::string a;
    std::optional<std::string> b;
};
}  // namespace hostile
BOOST_HANA_ADAPT_STRUCT(hostile::Memo, id, code, a, b);
template <>
struct eagerload::model<hostile::Memo> {
    static constexpr std::string_view table = "memos";
    static constexpr auto key = &hostile::Memo::id;
    static constexpr bool generated_key = true;
};

using namespace eagerload;
using hostile::Memo;

namespace {
void memo_table(const database& db) {
    create_table<Memo>(db);
    create_unique_index(db, "memos_by_code", asc<&Memo::code>);
    create_table<writes::Item>(db);  // a bystander: must survive every statement
    writes::Item bystander{0, 1, "still here", 1, 1};
    insert(db, bystander);
}

void check_schema_intact(const database& db) {
    CHECK(select<writes::Item>().count(db) == 1);
    CHECK_NOTHROW(select<Memo>().count(db));
}

// Every value a write can carry: the corpus plus a 1 MB string (a NUL has its own test).
std::vector<std::string> corpus(const eagerload_test::context&) {
    auto all = eagerload_test::hostile_strings();
    all.push_back(eagerload_test::megabyte_string());
    return all;
}

void check_stored(const database& db, const Memo& m, const std::string& a, const std::optional<std::string>& b) {
    const Memo back = get<Memo>(db, m.id);
    CHECK(back.a.size() == a.size());
    CHECK(back.a == a);
    CHECK(back.b == b);
}
}  // namespace

EAGERLOAD_TEST("hostile strings through insert and insert_all are stored verbatim") {
    memo_table(db);
    const auto values = corpus(ctx);
    std::vector<Memo> bulk;
    for (std::size_t i = 0; i < values.size(); ++i) {
        CAPTURE(i);
        Memo one{0, static_cast<std::int64_t>(i), values[i], values[i]};
        insert(db, one);
        check_stored(db, one, values[i], values[i]);
        bulk.push_back(Memo{0, static_cast<std::int64_t>(1000 + i), values[i], values[values.size() - 1 - i]});
    }
    insert_all(db, bulk);
    for (std::size_t i = 0; i < values.size(); ++i) {
        CAPTURE(i);
        check_stored(db, bulk[i], values[i], values[values.size() - 1 - i]);
    }
    check_schema_intact(db);
}

EAGERLOAD_TEST("hostile strings through every update are stored verbatim") {
    memo_table(db);
    const auto values = corpus(ctx);
    std::vector<Memo> rows;
    for (std::size_t i = 0; i < values.size(); ++i) rows.push_back(Memo{0, static_cast<std::int64_t>(i), "plain", {}});
    insert_all(db, rows);
    for (std::size_t i = 0; i < values.size(); ++i) {
        CAPTURE(i);
        Memo& m = rows[i];
        m.a = values[i];
        m.b = values[values.size() - 1 - i];
        CHECK(update(db, m) == 1);  // whole row
        check_stored(db, m, values[i], values[values.size() - 1 - i]);
        m.b = values[i];
        m.a = "not written";
        CHECK(update(db, m, only<&Memo::b>) == 1);
        check_stored(db, m, values[i], values[i]);
        // set, with the hostile value in the where as well
        CHECK(update<Memo>()
                  .set<&Memo::a>(values[(i + 1) % values.size()])
                  .where(col<&Memo::code> == m.code && col<&Memo::a> == values[i])
                  .execute(db) == 1);
        check_stored(db, m, values[(i + 1) % values.size()], values[i]);
    }
    check_schema_intact(db);
}

EAGERLOAD_TEST("hostile strings through upsert, upsert_all and erase by where") {
    memo_table(db);
    const auto values = corpus(ctx);
    std::vector<Memo> rows;
    for (std::size_t i = 0; i < values.size(); ++i)
        rows.push_back(Memo{0, static_cast<std::int64_t>(i), values[i], values[i]});
    upsert_all(db, rows, on<&Memo::code>, only<&Memo::a, &Memo::b>);  // all new
    for (std::size_t i = 0; i < values.size(); ++i) check_stored(db, rows[i], values[i], values[i]);
    std::vector<Memo> again;
    for (std::size_t i = 0; i < values.size(); ++i)
        again.push_back(Memo{0, static_cast<std::int64_t>(i), values[values.size() - 1 - i], std::nullopt});
    upsert_all(db, again, on<&Memo::code>, only<&Memo::a, &Memo::b>);  // all conflicting
    for (std::size_t i = 0; i < values.size(); ++i) {
        CAPTURE(i);
        CHECK(again[i].id == rows[i].id);
        check_stored(db, again[i], values[values.size() - 1 - i], std::nullopt);
        Memo single{0, static_cast<std::int64_t>(i), values[i], values[i]};
        upsert(db, single, on<&Memo::code>, only<&Memo::a, &Memo::b>);
        CHECK(single.id == rows[i].id);
        check_stored(db, single, values[i], values[i]);
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        CAPTURE(i);
        CHECK(erase(db, col<&Memo::a> == values[i] && col<&Memo::code> == static_cast<std::int64_t>(i)) == 1);
    }
    CHECK(select<Memo>().count(db) == 0);
    check_schema_intact(db);
}

EAGERLOAD_TEST("a NUL in text is stored verbatim where the database can hold it, else a clear error") {
    memo_table(db);
    const std::string nul = eagerload_test::string_with_nul();
    Memo m{0, 1, nul, nul};
    if (ctx.quirks().text_holds_nul) {
        insert(db, m);
        check_stored(db, m, nul, nul);
        m.b = "x" + nul;
        CHECK(update(db, m) == 1);
        check_stored(db, m, nul, "x" + nul);
        CHECK(update<Memo>().set<&Memo::a>(nul + "y").where(col<&Memo::a> == nul).execute(db) == 1);
        check_stored(db, m, nul + "y", "x" + nul);
        CHECK(erase(db, col<&Memo::a> == nul + "y") == 1);
    } else {
        try {
            insert(db, m);
            FAIL("a NUL must be refused");
        } catch (const database_error& e) {
            CHECK(std::string(e.what()).find("NUL") != std::string::npos);
        }
    }
    // Lists and bulk writes travel as one JSON or array parameter: refused everywhere,
    // naming the column, never cut short.
    std::vector<Memo> bulk{Memo{0, 2, "fine", std::nullopt}, Memo{0, 3, "fine", nul}};
    auto refused = [](auto&& write) {
        try {
            write();
            FAIL("a NUL must be refused");
        } catch (const std::exception& e) {
            const std::string what = e.what();
            CHECK(what.find("NUL") != std::string::npos);
        }
    };
    refused([&] { insert_all(db, bulk); });
    refused([&] { upsert_all(db, bulk, on<&Memo::code>, only<&Memo::b>); });
    refused([&] { upsert(db, bulk[1], on<&Memo::code>, do_nothing); });
    CHECK(select<Memo>().count(db) == 0);
    check_schema_intact(db);
}

EAGERLOAD_TEST("hostile strings as the conflict target of an upsert: every key comes back exactly") {
    using writes::Page;
    memo_table(db);
    create_table<Page>(db);
    const auto values = eagerload_test::hostile_strings();  // text keys: no 1 MB one
    std::vector<Page> rows;
    for (std::size_t i = 0; i < values.size(); ++i)
        rows.push_back(Page{values[i], static_cast<std::int64_t>(i), "first", 1});
    upsert_all(db, rows, on<&Page::id>, only<&Page::body>);
    std::vector<Page> again;
    for (std::size_t i = values.size(); i-- > 0;)
        again.push_back(Page{values[i], static_cast<std::int64_t>(i), "second", 1});
    upsert_all(db, again, on<&Page::id>, do_nothing);
    for (std::size_t i = 0; i < again.size(); ++i) CHECK(again[i].id == values[values.size() - 1 - i]);
    upsert_all(db, again, on<&Page::id>, only<&Page::body>);
    CHECK(select<Page>().count(db) == static_cast<long long>(values.size()));
    for (const std::string& v : values) {
        CAPTURE(v);
        const Page back = get<Page>(db, v);
        CHECK(back.id == v);
        CHECK(back.body == "second");
        CHECK(back.version == 2);  // one update: do_nothing left it alone
    }
    check_schema_intact(db);
}

EAGERLOAD_TEST("hostile strings in a text part of a composite key: upsert, versioned update, stale_row, erase") {
    using writes::Entry;
    memo_table(db);
    create_table<Entry>(db);
    create_unique_index(db, "entries_by_code", asc<&Entry::code>);
    const auto values = eagerload_test::hostile_strings();  // key parts: no 1 MB one
    const auto n = static_cast<std::int64_t>(values.size());
    std::vector<Entry> rows;
    for (std::int64_t i = 0; i < n; ++i) rows.push_back(Entry{values[i], i, i, values[i], 1});
    upsert_all(db, rows, on<&Entry::book, &Entry::number>, only<&Entry::text>);  // all new
    // On another unique key, every key column comes back: the text part exactly.
    std::vector<Entry> by_code;
    for (std::int64_t i = n; i-- > 0;) by_code.push_back(Entry{"not this", 1000 + i, i, "by code", 1});
    upsert_all(db, by_code, on<&Entry::code>, only<&Entry::text>);
    for (std::int64_t i = 0; i < n; ++i) {
        CAPTURE(i);
        const Entry& e = by_code[static_cast<std::size_t>(n - 1 - i)];
        CHECK(e.book == values[i]);
        CHECK(e.number == i);
    }
    for (std::int64_t i = 0; i < n; ++i) {
        CAPTURE(i);
        Entry e = get<Entry>(db, values[i], i);
        CHECK(e.text == "by code");
        CHECK(e.version == 2);
        Entry stale = e;
        e.text = values[(i + 1) % n];
        CHECK(update(db, e) == 1);
        CHECK(get<Entry>(db, values[i], i).text == values[(i + 1) % n]);
        try {
            update(db, stale);
            FAIL("a stale update must throw");
        } catch (const stale_row& s) {
            CHECK(s.table() == "entries");
            CHECK(s.key() == "book = '" + values[i] + "', number = " + std::to_string(i));
        }
        Entry single{"other", 5000 + i, i, "single", 1};
        upsert(db, single, on<&Entry::code>, do_nothing);
        CHECK(single.book == values[i]);
        CHECK(single.number == i);
    }
    for (std::int64_t i = 0; i < n; ++i) {
        CAPTURE(i);
        CHECK(erase<Entry>(db, values[i], i) == 1);
    }
    CHECK(select<Entry>().count(db) == 0);
    check_schema_intact(db);
}

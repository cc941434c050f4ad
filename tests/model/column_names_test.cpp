// Existing schemas: columns named unlike their members (camelCase, C++ keywords) and
// schema-qualified tables, used everywhere a column or table is rendered.
#include <cstdint>
#include <string>

#include "../support/backend.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/exists.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

namespace shop {
struct Customer {
    std::int64_t id;
    std::string display_name;
};
struct Parcel {
    std::int64_t id;
    std::int64_t customer_id;
    std::string klass;     // column "class"
    std::int32_t order;    // column "order"
    eagerload::timestamp created_at;  // column "createdAt"
};
struct Archived {
    std::int64_t id;
    std::string note;
};
}  // namespace shop

BOOST_HANA_ADAPT_STRUCT(shop::Customer, id, display_name);
BOOST_HANA_ADAPT_STRUCT(shop::Parcel, id, customer_id, klass, order, created_at);
BOOST_HANA_ADAPT_STRUCT(shop::Archived, id, note);

template <>
struct eagerload::model<shop::Customer> {
    static constexpr std::string_view table = "Customers";
    static constexpr auto key = &shop::Customer::id;
    static constexpr auto columns = std::tuple{eagerload::column_name<&shop::Customer::id>("customerId"),
                                               eagerload::column_name<&shop::Customer::display_name>("displayName")};
};
template <>
struct eagerload::model<shop::Parcel> {
    static constexpr std::string_view table = "parcels";
    static constexpr auto key = &shop::Parcel::id;
    static constexpr auto columns = std::tuple{eagerload::column_name<&shop::Parcel::customer_id>("customerId"),
                                               eagerload::column_name<&shop::Parcel::klass>("class"),
                                               eagerload::column_name<&shop::Parcel::created_at>("createdAt")};
};
template <>
struct eagerload::model<shop::Archived> {
    static constexpr std::string_view table = "el_archive.archived";
    static constexpr auto key = &shop::Archived::id;
};

namespace shop {
inline constexpr auto customer = eagerload::belongs_to<&Parcel::customer_id, &Customer::id>;
inline constexpr auto parcels = eagerload::has_many<&Parcel::customer_id, &Customer::id>;
}  // namespace shop

using namespace eagerload;
using namespace shop;

TEST_CASE("renamed columns are rendered by their column names, quoted") {
    const auto& t = detail::table_of<Parcel>();
    CHECK(t.columns[1].name == "customerId");
    CHECK(t.columns[2].name == "class");
    CHECK(t.columns[3].name == "order");  // not renamed: the member's name, a keyword in SQL
    CHECK(t.columns[4].name == "createdAt");
    const auto q = select<Parcel>().where(col<&Parcel::klass> == "fragile").order_by(desc<&Parcel::created_at>);
    CHECK(q.sql(dialect::postgresql) ==
          R"(SELECT "parcels"."id", "parcels"."customerId", "parcels"."class", "parcels"."order", "parcels"."createdAt")"
          R"( FROM "parcels" WHERE "parcels"."class" = :p1 ORDER BY "parcels"."createdAt" DESC)");
}

EAGERLOAD_TEST("renamed columns work in DDL, writes, filters, order, relations and exists") {
    create_table<Customer>(db);
    create_table<Parcel>(db, customer);
    insert(db, Customer{1, "Ada"});
    insert(db, Customer{2, "Bob"});
    const auto t0 = make_timestamp(2024, 5, 1, 8);
    insert_all(db, std::vector<Parcel>{{10, 1, "fragile", 2, t0}, {11, 1, "bulk", 1, t0 + std::chrono::hours(1)},
                                       {12, 2, "fragile", 3, t0 + std::chrono::hours(2)}});
    CHECK(get<Customer>(db, 2).display_name == "Bob");
    CHECK(select<Parcel>().where(col<&Parcel::klass> == "fragile").count(db) == 2);
    CHECK(select<Parcel>().order_by(desc<&Parcel::order>).all(db).front().id == 12);

    const auto q = select<Customer>()
                       .where(exists(parcels, col<&Parcel::klass> == "bulk"))
                       .prefetch(parcels, select<Parcel>().order_by(desc<&Parcel::created_at>).join(customer));
    query_counter counter(db);
    const auto rows = q.load(db);
    CHECK(counter.count() == 2);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].display_name == "Ada");
    REQUIRE(rows[0][parcels].size() == 2);
    CHECK(rows[0][parcels][0].klass == "bulk");
    CHECK(rows[0][parcels][0].created_at == t0 + std::chrono::hours(1));
    CHECK(rows[0][parcels][1][customer].display_name == "Ada");

}

TEST_CASE("a schema-qualified table is read and written through its schema [postgresql]") {
    eagerload_test::context ctx(dialect::postgresql);
    auto& db = ctx.db;
    detail::execute(db, "DROP SCHEMA IF EXISTS el_archive CASCADE");
    detail::execute(db, "CREATE SCHEMA el_archive");
    create_table<Archived>(db);
    insert(db, Archived{1, "kept"});
    insert_all(db, std::vector<Archived>{{2, "also"}});
    CHECK(detail::render_create_table(detail::table_of<Archived>(), dialect::postgresql)
              .starts_with(R"(CREATE TABLE "el_archive"."archived" ()"));
    CHECK(select<Archived>().where(col<&Archived::note> == "kept").sql(dialect::postgresql) ==
          R"(SELECT "archived"."id", "archived"."note" FROM "el_archive"."archived" AS "archived")"
          R"( WHERE "archived"."note" = :p1)");
    CHECK(get<Archived>(db, 1).note == "kept");
    CHECK(select<Archived>().count(db) == 2);
    CHECK(select<Archived>().order_by(asc<&Archived::id>).limit(1).count(db) == 1);
    detail::execute(db, "DROP SCHEMA el_archive CASCADE");
}

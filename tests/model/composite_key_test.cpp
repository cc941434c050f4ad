// Composite primary keys: get/find/update/erase by the whole key, create_table's
// PRIMARY KEY (a, b), a has_many into a composite-keyed child by its single foreign
// key, and many_to_many through a join table that has no id column. Every backend.
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "../support/backend.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/exists.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "eagerload/update.hpp"

namespace ck {
struct Order {
    std::int64_t id;
    std::string customer;
};
struct OrderLine {
    std::int64_t order_id;
    std::int32_t line_no;
    std::string sku;
    std::int32_t qty;
};
struct Product {
    std::int64_t id;
    std::string name;
};
struct Category {
    std::int64_t id;
    std::string title;
};
struct ProductCategory {  // the shop's keyless join table
    std::int64_t product_id;
    std::int64_t category_id;
};
}  // namespace ck

BOOST_HANA_ADAPT_STRUCT(ck::Order, id, customer);
BOOST_HANA_ADAPT_STRUCT(ck::OrderLine, order_id, line_no, sku, qty);
BOOST_HANA_ADAPT_STRUCT(ck::Product, id, name);
BOOST_HANA_ADAPT_STRUCT(ck::Category, id, title);
BOOST_HANA_ADAPT_STRUCT(ck::ProductCategory, product_id, category_id);

template <>
struct eagerload::model<ck::Order> {
    static constexpr std::string_view table = "orders";
    static constexpr auto key = &ck::Order::id;
};
template <>
struct eagerload::model<ck::OrderLine> {
    static constexpr std::string_view table = "order_lines";
    static constexpr auto key = std::tuple{&ck::OrderLine::order_id, &ck::OrderLine::line_no};
};
template <>
struct eagerload::model<ck::Product> {
    static constexpr std::string_view table = "products";
    static constexpr auto key = &ck::Product::id;
};
template <>
struct eagerload::model<ck::Category> {
    static constexpr std::string_view table = "categories";
    static constexpr auto key = &ck::Category::id;
};
template <>
struct eagerload::model<ck::ProductCategory> {
    static constexpr std::string_view table = "product_categories";
    static constexpr auto key = std::tuple{&ck::ProductCategory::product_id, &ck::ProductCategory::category_id};
};

namespace ck {
inline constexpr auto lines = eagerload::has_many<&OrderLine::order_id, &Order::id>;
inline constexpr auto order = eagerload::belongs_to<&OrderLine::order_id, &Order::id>;
inline constexpr auto categories = eagerload::many_to_many<&Product::id, &ProductCategory::product_id,
                                                           &ProductCategory::category_id, &Category::id>;
inline constexpr auto products = eagerload::many_to_many<&Category::id, &ProductCategory::category_id,
                                                         &ProductCategory::product_id, &Product::id>;
inline constexpr auto link_product = eagerload::belongs_to<&ProductCategory::product_id, &Product::id>;
inline constexpr auto link_category = eagerload::belongs_to<&ProductCategory::category_id, &Category::id>;
}  // namespace ck

using namespace eagerload;
using namespace ck;

namespace {
void order_schema(const database& db) {
    create_table<Order>(db);
    create_table<OrderLine>(db, order);
    insert(db, Order{1, "Ada"});
    insert(db, Order{2, "Bob"});
    insert_all(db, std::vector<OrderLine>{{1, 1, "apple", 3}, {1, 2, "pear", 1}, {2, 1, "plum", 7}, {2, 2, "fig", 2}});
}
}  // namespace

TEST_CASE("a composite key is every key column, in key order, and create_table declares it") {
    const auto& t = detail::table_of<OrderLine>();
    REQUIRE(t.key_columns().size() == 2);
    CHECK(t.key_columns()[0] == 0);
    CHECK(t.key_columns()[1] == 1);
    CHECK(detail::render_create_table(t, dialect::postgresql) ==
          R"(CREATE TABLE "order_lines" ("order_id" BIGINT NOT NULL, "line_no" INTEGER NOT NULL, )"
          R"("sku" TEXT NOT NULL, "qty" INTEGER NOT NULL, PRIMARY KEY ("order_id", "line_no")))");
    CHECK(detail::table_of<Order>().key_columns().size() == 1);
}

EAGERLOAD_TEST("get and find take the whole composite key, as a tuple or as arguments") {
    order_schema(db);
    CHECK(get<OrderLine>(db, 1, 2).sku == "pear");
    CHECK(get<OrderLine>(db, std::tuple{2, 1}).sku == "plum");
    CHECK(find<OrderLine>(db, std::int64_t{2}, 2)->sku == "fig");
    CHECK_FALSE(find<OrderLine>(db, 1, 3).has_value());
    CHECK_THROWS_WITH_AS(get<OrderLine>(db, 1, 9),
                         doctest::Contains("no row in table \"order_lines\" with order_id = 1, line_no = 9"),
                         not_found);
}

EAGERLOAD_TEST("update and erase by a composite key change exactly that row") {
    order_schema(db);
    OrderLine l = get<OrderLine>(db, 1, 2);
    l.qty = 40;
    l.sku = "pear'; --";
    query_counter counter(db);
    CHECK(update(db, l) == 1);
    CHECK(counter.count() == 1);
    CHECK(get<OrderLine>(db, 1, 2).qty == 40);
    CHECK(get<OrderLine>(db, 1, 2).sku == "pear'; --");
    CHECK(get<OrderLine>(db, 1, 1).qty == 3);  // same order_id, other line: untouched
    CHECK(get<OrderLine>(db, 2, 2).qty == 2);  // same line_no, other order: untouched
    l.qty = 41;
    l.sku = "not written";
    CHECK(update(db, l, only<&OrderLine::qty>) == 1);
    CHECK(get<OrderLine>(db, 1, 2).qty == 41);
    CHECK(get<OrderLine>(db, 1, 2).sku == "pear'; --");

    CHECK(erase<OrderLine>(db, 1, 2) == 1);
    CHECK(erase<OrderLine>(db, std::tuple{1, 2}) == 0);
    CHECK(select<OrderLine>().count(db) == 3);
    CHECK(find<OrderLine>(db, 1, 1).has_value());
    CHECK(find<OrderLine>(db, 2, 2).has_value());
}

EAGERLOAD_TEST("a repeated composite key is a unique_violation, a repeated column alone is not") {
    order_schema(db);
    insert(db, OrderLine{1, 3, "kiwi", 1});  // order_id 1 again, line 3: a new key
    CHECK_THROWS_AS(insert(db, OrderLine{1, 3, "kiwi", 1}), unique_violation);
    CHECK(select<OrderLine>().count(db) == 5);
}

EAGERLOAD_TEST("a has_many into a composite-keyed child by its single foreign key loads, ordered by the whole key") {
    order_schema(db);
    insert(db, OrderLine{1, 0, "melon", 5});
    query_counter counter(db);
    const auto orders = select<Order>().order_by(asc<&Order::id>).prefetch(lines).load(db);
    CHECK(counter.count() == 2);
    REQUIRE(orders.size() == 2);
    REQUIRE(orders[0][lines].size() == 3);
    CHECK(orders[0][lines][0].sku == "melon");  // line_no 0, 1, 2: ties on order_id broken by the key
    CHECK(orders[0][lines][1].sku == "apple");
    CHECK(orders[0][lines][2].sku == "pear");
    REQUIRE(orders[1][lines].size() == 2);
    CHECK(orders[1][lines][0].sku == "plum");

    // The composite-keyed model as the root, with its single-column relation joined and prefetched.
    const auto joined = select<OrderLine>().order_by(asc<&OrderLine::sku>).join(order).load(db);
    REQUIRE(joined.size() == 5);
    CHECK(joined[0].sku == "apple");
    CHECK(joined[0][order].customer == "Ada");
    const auto fetched = select<OrderLine>().order_by(desc<&OrderLine::qty>).prefetch(order).load(db);
    REQUIRE(fetched.size() == 5);
    CHECK(fetched[0].sku == "plum");
    CHECK(fetched[0][order].customer == "Bob");
    CHECK(fetched[1][order].customer == "Ada");
}

EAGERLOAD_TEST("many_to_many through a join table keyed by (product_id, category_id) loads both ways") {
    create_table<Product>(db);
    create_table<Category>(db);
    create_table<ProductCategory>(db, link_product, link_category);
    insert_all(db, std::vector<Product>{{1, "tea"}, {2, "cup"}, {3, "spoon"}});
    insert_all(db, std::vector<Category>{{10, "kitchen"}, {20, "drinks"}, {30, "empty"}});
    insert_all(db, std::vector<ProductCategory>{{1, 10}, {1, 20}, {2, 10}, {3, 10}});
    CHECK_THROWS_AS(insert(db, ProductCategory{1, 20}), unique_violation);

    query_counter counter(db);
    const auto ps = select<Product>()
                        .order_by(asc<&Product::id>)
                        .prefetch(categories, select<Category>().order_by(asc<&Category::title>))
                        .load(db);
    CHECK(counter.count() == 2);
    REQUIRE(ps.size() == 3);
    REQUIRE(ps[0][categories].size() == 2);
    CHECK(ps[0][categories][0].title == "drinks");
    CHECK(ps[0][categories][1].title == "kitchen");
    REQUIRE(ps[1][categories].size() == 1);
    CHECK(ps[1][categories][0].title == "kitchen");

    const auto cs = select<Category>().order_by(asc<&Category::id>).prefetch(products).load(db);
    REQUIRE(cs.size() == 3);
    CHECK(cs[0][products].size() == 3);
    CHECK(cs[1][products].size() == 1);
    CHECK(cs[2][products].empty());
    CHECK(select<Category>().where(exists(products, col<&Product::name> == "tea")).count(db) == 2);

    // The join rows themselves, by their whole key.
    CHECK(erase<ProductCategory>(db, 1, 20) == 1);
    CHECK_FALSE(find<ProductCategory>(db, 1, 20).has_value());
    CHECK(find<ProductCategory>(db, 1, 10).has_value());
}

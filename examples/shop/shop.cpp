// The shop: eagerload on a schema it did not create (docs/existing-schemas.md walks
// through it). The tables are made by hand, in SQL, as an existing application's
// would be: customers; products with a database-generated id, a unique sku and a
// camelCase column; categories through a join table without an id column; orders and
// order_items with generated ids; reviews with a nullable author.
//
// It seeds the catalog with an upsert (run twice: the second run changes prices and
// inserts nothing), creates an order with its items in ONE transaction (the order's
// generated id comes back and goes into every item; the items' ids come back too),
// marks it placed with an optimistic-concurrency update, reads the whole order graph
// back eagerly, and checks every statement count: it exits non-zero when one is wrong.
//
//   shop                       SQLite, a temporary file
//   shop --postgres CONNINFO   PostgreSQL ("host=H port=P dbname=D user=U")
//   shop --mariadb CONN        MariaDB ("db=D user=U host=H port=P")
#include <eagerload/eagerload.hpp>
#include <fmt/core.h>
#include <soci/soci.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shop {
struct Customer {
    std::int64_t id;
    std::string name;
    std::optional<std::string> email;
};
struct Category {
    std::int64_t id;
    std::string name;
};
struct Product {
    std::int64_t id;
    std::string sku;
    std::string name;
    double unit_price;  // column "unitPrice"
    std::int32_t stock;
};
// The join table has no id column: its primary key is (product_id, category_id),
// declared as the model's composite key.
struct ProductCategory {
    std::int64_t product_id;
    std::int64_t category_id;
};
struct Order {
    std::int64_t id;  // generated
    std::int64_t customer_id;
    std::string status;
    std::int32_t version;  // optimistic concurrency
};
struct OrderItem {
    std::int64_t id;  // generated
    std::int64_t order_id;
    std::int64_t product_id;
    std::int32_t quantity;
    double unit_price;
};
struct Review {
    std::int64_t id;
    std::int64_t product_id;
    std::optional<std::int64_t> author_id;  // NULL: an anonymous review
    std::int32_t stars;
    std::string body;
};
}  // namespace shop

BOOST_HANA_ADAPT_STRUCT(shop::Customer, id, name, email);
BOOST_HANA_ADAPT_STRUCT(shop::Category, id, name);
BOOST_HANA_ADAPT_STRUCT(shop::Product, id, sku, name, unit_price, stock);
BOOST_HANA_ADAPT_STRUCT(shop::ProductCategory, product_id, category_id);
BOOST_HANA_ADAPT_STRUCT(shop::Order, id, customer_id, status, version);
BOOST_HANA_ADAPT_STRUCT(shop::OrderItem, id, order_id, product_id, quantity, unit_price);
BOOST_HANA_ADAPT_STRUCT(shop::Review, id, product_id, author_id, stars, body);

template <>
struct eagerload::model<shop::Customer> {
    static constexpr std::string_view table = "customers";
    static constexpr auto key = &shop::Customer::id;
};
template <>
struct eagerload::model<shop::Category> {
    static constexpr std::string_view table = "categories";
    static constexpr auto key = &shop::Category::id;
};
template <>
struct eagerload::model<shop::Product> {
    static constexpr std::string_view table = "products";
    static constexpr auto key = &shop::Product::id;
    static constexpr bool generated_key = true;
    static constexpr auto columns = std::tuple{eagerload::column_name<&shop::Product::unit_price>("unitPrice")};
};
template <>
struct eagerload::model<shop::ProductCategory> {
    static constexpr std::string_view table = "product_categories";
    static constexpr auto key = std::tuple{&shop::ProductCategory::product_id, &shop::ProductCategory::category_id};
};
template <>
struct eagerload::model<shop::Order> {
    static constexpr std::string_view table = "orders";
    static constexpr auto key = &shop::Order::id;
    static constexpr bool generated_key = true;
    static constexpr auto version = &shop::Order::version;
};
template <>
struct eagerload::model<shop::OrderItem> {
    static constexpr std::string_view table = "order_items";
    static constexpr auto key = &shop::OrderItem::id;
    static constexpr bool generated_key = true;
};
template <>
struct eagerload::model<shop::Review> {
    static constexpr std::string_view table = "reviews";
    static constexpr auto key = &shop::Review::id;
};

namespace shop {
namespace el = eagerload;
inline constexpr auto customer = el::belongs_to<&Order::customer_id, &Customer::id>;
inline constexpr auto items = el::has_many<&OrderItem::order_id, &Order::id>;
inline constexpr auto product = el::belongs_to<&OrderItem::product_id, &Product::id>;
inline constexpr auto categories =
    el::many_to_many<&Product::id, &ProductCategory::product_id, &ProductCategory::category_id, &Category::id>;
inline constexpr auto reviews = el::has_many<&Review::product_id, &Product::id>;
inline constexpr auto author = el::belongs_to<&Review::author_id, &Customer::id>;

// The hand-made schema. Only what each database spells differently is filled in.
std::vector<std::string> schema(el::dialect d) {
    const bool pg = d == el::dialect::postgresql, maria = d == el::dialect::mariadb;
    const std::string q = maria ? "`" : "\"";
    // Generated ids as each database's own schemas declare them: SQLite's rowid alias,
    // PostgreSQL IDENTITY (and a BIGSERIAL for orders), MariaDB AUTO_INCREMENT.
    const std::string identity = pg      ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
                                 : maria ? "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"
                                         : "INTEGER PRIMARY KEY";
    const std::string serial = pg ? "BIGSERIAL PRIMARY KEY" : identity;
    const std::string text = maria ? "VARCHAR(200)" : "TEXT";
    const std::string real = pg ? "DOUBLE PRECISION" : maria ? "DOUBLE" : "REAL";
    return {
        "CREATE TABLE customers (id BIGINT PRIMARY KEY, name " + text + " NOT NULL, email " + text + ")",
        "CREATE TABLE categories (id BIGINT PRIMARY KEY, name " + text + " NOT NULL)",
        "CREATE TABLE products (id " + identity + ", sku " + text + " NOT NULL UNIQUE, name " + text +
            " NOT NULL, " + q + "unitPrice" + q + " " + real + " NOT NULL, stock INTEGER NOT NULL)",
        "CREATE TABLE product_categories (product_id BIGINT NOT NULL REFERENCES products (id), category_id BIGINT "
        "NOT NULL REFERENCES categories (id), PRIMARY KEY (product_id, category_id))",
        "CREATE TABLE orders (id " + serial + ", customer_id BIGINT NOT NULL REFERENCES customers (id), status " +
            text + " NOT NULL, version INTEGER NOT NULL)",
        "CREATE TABLE order_items (id " + identity +
            ", order_id BIGINT NOT NULL REFERENCES orders (id), product_id BIGINT NOT NULL REFERENCES products (id), "
            "quantity INTEGER NOT NULL, unit_price " + real + " NOT NULL)",
        "CREATE TABLE reviews (id BIGINT PRIMARY KEY, product_id BIGINT NOT NULL REFERENCES products (id), "
        "author_id BIGINT REFERENCES customers (id), stars INTEGER NOT NULL, body " + text + " NOT NULL)",
    };
}

// Hand-written SQL runs on the pool's sessions with SOCI, as an application's migrations would.
void create_schema(const el::database& db) {
    soci::session sql(db.soci_pool());
    for (const char* table :
         {"reviews", "order_items", "orders", "product_categories", "products", "categories", "customers"})
        sql << std::string("DROP TABLE IF EXISTS ") + table;
    for (const std::string& ddl : schema(db.sql_dialect())) sql << ddl;
}

// The order graph: the order with its customer; its items by line, each with its
// product, the product's categories and its reviews with their (nullable) author.
auto order_graph(std::int64_t order_id) {
    using namespace eagerload;
    return select<Order>()
        .where(col<&Order::id> == order_id)
        .join(customer)
        .prefetch(items, select<OrderItem>()
                             .order_by(asc<&OrderItem::id>)
                             .prefetch(product, select<Product>()
                                                    .prefetch(categories, select<Category>().order_by(asc<&Category::name>))
                                                    .prefetch(reviews, select<Review>().order_by(asc<&Review::id>).join(author))));
}

int failures = 0;
void expect(bool ok, std::string_view what) {
    if (!ok) {
        ++failures;
        fmt::print(stderr, "shop: WRONG: {}\n", what);
    }
}
void expect_count(long long got, long long want, std::string_view what) {
    fmt::print("  {:<52} {} statement{}\n", what, got, got == 1 ? "" : "s");
    if (got != want) {
        ++failures;
        fmt::print(stderr, "shop: WRONG statement count for {}: {} (expected {})\n", what, got, want);
    }
}
}  // namespace shop

int main(int argc, char** argv) try {
    using namespace eagerload;
    using namespace shop;
    std::string url;
    std::optional<std::filesystem::path> scratch;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if ((a == "--postgres" || a == "--mariadb") && i + 1 < argc)
            url = std::string(a == "--postgres" ? "postgresql:" : "mariadb:") + argv[++i];
        else {
            fmt::print(stderr, "usage: shop [--postgres CONNINFO | --mariadb CONN]\n");
            return 2;
        }
    }
    if (url.empty()) {
        scratch = std::filesystem::temp_directory_path() / fmt::format("eagerload_shop_{}.db", ::getpid());
        std::filesystem::remove(*scratch);
        url = "sqlite:" + scratch->string();
    }
    auto db = database::open(url);
    fmt::print("shop on {}\n", to_string(db.sql_dialect()));
    create_schema(db);

    // ---- the catalog: customers and categories by id, products by upsert on sku ----
    query_counter seeding(db);
    std::vector<Customer> customers{{1, "Ada", "ada@example.com"}, {2, "Grace", std::nullopt}};
    std::vector<Category> cats{{1, "books"}, {2, "tools"}, {3, "gifts"}};
    insert_all(db, customers);
    insert_all(db, cats);
    std::vector<Product> products{{0, "BK-1", "The Art of SQL", 39.5, 10},
                                  {0, "TL-7", "Torque wrench", 89.0, 4},
                                  {0, "GF-3", "Gift card", 25.0, 1000}};
    upsert_all(db, products, on<&Product::sku>, only<&Product::name, &Product::unit_price>);
    // Run again with new prices: no new rows, and every product's id comes back.
    std::vector<Product> repriced = products;
    for (Product& p : repriced) {
        p.id = 0;
        p.unit_price += 1;
    }
    upsert_all(db, repriced, on<&Product::sku>, only<&Product::name, &Product::unit_price>);
    for (std::size_t i = 0; i < products.size(); ++i)
        expect(repriced[i].id == products[i].id, "an upsert that conflicts writes back the existing row's id");
    std::vector<ProductCategory> links{{products[0].id, 1}, {products[0].id, 3}, {products[1].id, 2},
                                       {products[2].id, 3}};
    insert_all(db, links);
    std::vector<Review> revs{{1, products[0].id, 2, 5, "Clear and deep."},
                             {2, products[0].id, std::nullopt, 4, "Good; long."},
                             {3, products[1].id, 1, 3, "Heavy."}};
    insert_all(db, revs);
    const int upsert_statements = db.sql_dialect() == dialect::postgresql ? 1 : 2;
    expect_count(seeding.count(), 2 + 2 * upsert_statements + 2, "seed the catalog (2 upserts)");

    // ---- an order with its items, in ONE transaction ---------------------------
    query_counter placing(db);
    Order order{0, 1, "cart", 1};
    std::vector<OrderItem> lines{{0, 0, products[0].id, 1, repriced[0].unit_price},
                                 {0, 0, products[1].id, 2, repriced[1].unit_price},
                                 {0, 0, products[2].id, 3, repriced[2].unit_price}};
    {
        transaction tx(db);
        insert(db, order);  // the generated id comes back into order.id
        for (OrderItem& line : lines) line.order_id = order.id;
        insert_all(db, lines);  // one statement; every line's generated id comes back, in order
        for (const OrderItem& line : lines)
            update<Product>()
                .add<&Product::stock>(-line.quantity)
                .where(col<&Product::id> == line.product_id && col<&Product::stock> >= line.quantity)
                .execute(db);
        order.status = "placed";
        update(db, order, only<&Order::status>);  // WHERE id = ? AND version = 1; order.version becomes 2
        tx.commit();
    }
    expect_count(placing.count(), 1 + 1 + 3 + 1, "place the order (transaction)");
    expect(order.id > 0, "the order's generated id came back");
    expect(order.version == 2, "the optimistic update bumped the version");
    for (std::size_t i = 1; i < lines.size(); ++i) expect(lines[i].id > lines[i - 1].id, "item ids in input order");
    fmt::print("  order #{} with items #{} #{} #{}\n", order.id, lines[0].id, lines[1].id, lines[2].id);

    // ---- a second writer with a stale copy is refused ------------------------------
    Order stale = order;
    stale.version = 1;
    try {
        update(db, stale, only<&Order::status>);
        expect(false, "a stale update must throw stale_row");
    } catch (const stale_row& e) {
        fmt::print("  stale copy refused: table {}, key {}\n", e.table(), e.key());
    }

    // ---- the order graph, eagerly ----------------------------------------------
    query_counter reading(db);
    const auto query = order_graph(order.id);
    static_assert(decltype(query)::statements == 5);
    const auto found = query.load(db);
    expect_count(reading.count(), 5, "read the order graph (orders+customer, items, products, ...)");
    expect(found.size() == 1, "one order");
    if (found.size() == 1) {
        const auto& o = found[0];
        expect(o.id == order.id && o.status == "placed" && o.version == 2, "the order as written");
        fmt::print("\norder #{} for {} ({}), version {}\n", o.id, o[customer].name, o.status, o.version);
        double total = 0;
        expect(o[items].size() == 3, "three items");
        for (std::size_t i = 0; i < o[items].size(); ++i) {
            const auto& line = o[items][i];
            expect(line.id == lines[i].id, "items read back in order, by the ids that came back");
            const auto& p = line[product];
            total += line.quantity * line.unit_price;
            std::string cat_names;
            for (const auto& c : p[categories]) cat_names += (cat_names.empty() ? "" : ", ") + c.name;
            fmt::print("  {} x {:<16} {:>7.2f}  stock {:>4}  [{}]\n", line.quantity, p.name, line.unit_price, p.stock,
                       cat_names);
            expect(p.stock == products[i].stock - line.quantity, "stock went down by the quantity");
            for (const auto& r : p[reviews])
                fmt::print("      {} stars by {}: {}\n", r.stars, r[author] ? r[author]->name : "anonymous", r.body);
        }
        fmt::print("  total {:.2f}\n", total);
        const auto& book = o[items][0][product];
        expect(book[categories].size() == 2, "BK-1 is in two categories");
        expect(book[reviews].size() == 2 && book[reviews][1][author] == nullptr, "the anonymous review has no author");
    }
    if (scratch) std::filesystem::remove(*scratch);
    if (failures) {
        fmt::print(stderr, "shop: {} check(s) failed\n", failures);
        return 1;
    }
    fmt::print("\nshop: all checks passed\n");
    return 0;
} catch (const std::exception& e) {
    fmt::print(stderr, "shop: {}\n", e.what());
    return 1;
}

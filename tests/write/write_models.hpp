#pragma once
// Models of the write tests: an order with a generated key and a version member, a
// product with a generated key and a unique code (the upsert's conflict target), a
// note keyed by the application (text key), and three composite-keyed models: an order
// line keyed by (order_id, line_no) with a unique code, a keyless join table keyed by
// (product_id, category_id), and a versioned entry keyed by (book, number), a text part.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "eagerload/detail/reflect.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/model.hpp"

namespace writes {
struct Ticket {  // generated key, versioned
    std::int64_t id;
    std::string title;
    std::int32_t position;
    std::int64_t version;
};
struct Item {  // generated key, unique code
    std::int64_t id;
    std::int64_t code;
    std::string label;
    double price;
    std::int32_t stock;
};
struct Page {  // application key (text), unique slug, versioned
    std::string id;
    std::int64_t slug;
    std::optional<std::string> body;
    std::int32_t version;
};
struct Line {  // composite key (order_id, line_no), a unique code
    std::int64_t order_id;
    std::int32_t line_no;
    std::int64_t code;
    std::string sku;
    std::int32_t qty;
};
struct Link {  // a join table without an id column: keyed by (product_id, category_id)
    std::int64_t product_id;
    std::int64_t category_id;
    std::int32_t rank;
};
struct Entry {  // composite key with a text part (book, number), a unique code, versioned
    std::string book;
    std::int64_t number;
    std::int64_t code;
    std::string text;
    std::int64_t version;
};
}  // namespace writes
BOOST_HANA_ADAPT_STRUCT(writes::Line, order_id, line_no, code, sku, qty);
BOOST_HANA_ADAPT_STRUCT(writes::Link, product_id, category_id, rank);
BOOST_HANA_ADAPT_STRUCT(writes::Entry, book, number, code, text, version);
BOOST_HANA_ADAPT_STRUCT(writes::Ticket, id, title, position, version);
BOOST_HANA_ADAPT_STRUCT(writes::Item, id, code, label, price, stock);
BOOST_HANA_ADAPT_STRUCT(writes::Page, id, slug, body, version);
template <>
struct eagerload::model<writes::Ticket> {
    static constexpr std::string_view table = "tickets";
    static constexpr auto key = &writes::Ticket::id;
    static constexpr bool generated_key = true;
    static constexpr auto version = &writes::Ticket::version;
};
template <>
struct eagerload::model<writes::Item> {
    static constexpr std::string_view table = "items";
    static constexpr auto key = &writes::Item::id;
    static constexpr bool generated_key = true;
};
template <>
struct eagerload::model<writes::Page> {
    static constexpr std::string_view table = "pages";
    static constexpr auto key = &writes::Page::id;
    static constexpr auto version = &writes::Page::version;
};
template <>
struct eagerload::model<writes::Line> {
    static constexpr std::string_view table = "lines";
    static constexpr auto key = std::tuple{&writes::Line::order_id, &writes::Line::line_no};
};
template <>
struct eagerload::model<writes::Link> {
    static constexpr std::string_view table = "links";
    static constexpr auto key = std::tuple{&writes::Link::product_id, &writes::Link::category_id};
};
template <>
struct eagerload::model<writes::Entry> {
    static constexpr std::string_view table = "entries";
    static constexpr auto key = std::tuple{&writes::Entry::book, &writes::Entry::number};
    static constexpr auto version = &writes::Entry::version;
};

namespace writes {
// Lowers the rows per statement of insert_all/upsert_all for one test: crossing chunk
// boundaries with thousands of rows instead of 100,000s.
class rows_per_statement {
public:
    explicit rows_per_statement(std::size_t n) : old_(eagerload::detail::rows_per_statement()) {
        eagerload::detail::rows_per_statement() = n;
    }
    ~rows_per_statement() { eagerload::detail::rows_per_statement() = old_; }
    rows_per_statement(const rows_per_statement&) = delete;
    rows_per_statement& operator=(const rows_per_statement&) = delete;

private:
    std::size_t old_;
};
}  // namespace writes

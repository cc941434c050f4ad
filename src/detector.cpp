// The N+1 detector and the relation registry it reads.
#include "eagerload/detector.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <exception>
#include <functional>
#include <iterator>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "eagerload/detail/call_site.hpp"
#include "eagerload/detail/unused_loads.hpp"
#include "eagerload/relation_names.hpp"

namespace eagerload {

// --- the relation registry ---------------------------------------------------------------

namespace {
std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
}
std::vector<relation_info>& registry() {
    static std::vector<relation_info> r;
    return r;
}
}  // namespace

void register_relation(relation_info r) {
    std::lock_guard lock(registry_mutex());
    for (const relation_info& x : registry())
        if (x.name == r.name && x.owner_table == r.owner_table && x.target_table == r.target_table) return;
    registry().push_back(std::move(r));
}

std::vector<relation_info> registered_relations() {
    std::lock_guard lock(registry_mutex());
    return registry();
}

namespace detail {
std::vector<std::string> split_names(std::string_view names) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : names) {
        if (c == ',') {
            out.push_back(cur);
            cur.clear();
        } else if (!std::isspace(static_cast<unsigned char>(c))) {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}
}  // namespace detail

// --- shapes ------------------------------------------------------------------------------

namespace {

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// Reads a possibly quoted, possibly dotted identifier at `i`: "a"."b" -> {"a", "b"}.
std::vector<std::string> read_identifier(std::string_view s, std::size_t& i) {
    std::vector<std::string> parts;
    for (;;) {
        if (i >= s.size()) break;
        std::string part;
        if (s[i] == '"' || s[i] == '`') {
            const char q = s[i++];
            while (i < s.size()) {
                if (s[i] == q) {
                    if (i + 1 < s.size() && s[i + 1] == q) {
                        part += q;
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                part += s[i++];
            }
        } else {
            while (i < s.size() && ident_char(s[i])) part += s[i++];
            if (part.empty()) break;
        }
        parts.push_back(part);
        if (i < s.size() && s[i] == '.') ++i;
        else break;
    }
    return parts;
}

std::string join_dots(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ".") + p;
    return out;
}

std::string from_table(std::string_view sql) {
    const std::size_t f = sql.find(" FROM ");
    if (f == std::string_view::npos) return {};
    std::size_t i = f + 6;
    return join_dots(read_identifier(sql, i));
}

std::string short_file(std::string_view path) {
    const std::size_t last = path.rfind('/');
    if (last == std::string_view::npos) return std::string(path);
    const std::size_t before = last == 0 ? std::string_view::npos : path.rfind('/', last - 1);
    return std::string(path.substr(before == std::string_view::npos ? 0 : before + 1));
}

std::string short_function(std::string_view f) {
    const std::size_t paren = f.find('(');
    if (paren != std::string_view::npos) f = f.substr(0, paren);
    const std::size_t space = f.rfind(' ');
    if (space != std::string_view::npos) f = f.substr(space + 1);
    return std::string(f);
}

const char* kind_name(relation_kind k) {
    switch (k) {
    case relation_kind::belongs_to: return "belongs_to";
    case relation_kind::has_one: return "has_one";
    case relation_kind::has_many: return "has_many";
    case relation_kind::many_to_many: return "many_to_many";
    }
    return "?";
}

}  // namespace

std::string shape_of(std::string_view sql) {
    std::string out;
    out.reserve(sql.size());
    for (std::size_t i = 0; i < sql.size();) {
        const char c = sql[i];
        if (c == '\'') {  // a string literal ('' escapes a quote)
            ++i;
            while (i < sql.size()) {
                if (sql[i] == '\'' && !(i + 1 < sql.size() && sql[i + 1] == '\'')) break;
                i += sql[i] == '\'' ? 2 : 1;
            }
            ++i;
            out += '?';
        } else if (c == '"' || c == '`') {  // a quoted identifier: as is
            const std::size_t end = sql.find(c, i + 1);
            const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
            out.append(sql.substr(i, stop - i));
            i = stop;
        } else if (std::isdigit(static_cast<unsigned char>(c)) && (out.empty() || !ident_char(out.back()))) {
            while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '.')) ++i;
            out += '?';
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

key_lookup lookup_of(std::string_view sql) {
    const std::string table = from_table(sql);
    const std::size_t w = sql.find(" WHERE ");
    if (table.empty() || w == std::string_view::npos) return {};
    std::size_t i = w + 7;
    const std::vector<std::string> id = read_identifier(sql, i);
    if (id.empty() || sql.substr(i, 3) != " = ") return {};
    i += 3;
    if (i >= sql.size() || (sql[i] != ':' && sql[i] != '?' && sql[i] != '$')) return {};
    return {table, id.back()};
}

// --- unused eager loads ------------------------------------------------------------------

namespace {
// The detectors with unused_loads open on this thread, innermost last.
thread_local std::vector<n_plus_one_detector*> tracking_detectors;

// The reads of this thread while a detector with unused_loads is open here, in order;
// cleared when the last one closes. A load remembers the size it had when it was
// registered, so a read at position k happened after every load with a smaller size.
struct read_mark {
    const void* node;
    const void* relation;
};
thread_local std::vector<read_mark> read_log;

struct mark_hash {
    std::size_t operator()(const std::pair<const void*, const void*>& m) const noexcept {
        const std::hash<const void*> h;
        return h(m.first) ^ (h(m.second) * 0x9e3779b97f4a7c15ULL);
    }
};
// The reads logged since the last load registered: a repeat needs no new entry (the log
// stays as long as the distinct reads between two loads, however hot the loop).
thread_local std::unordered_set<std::pair<const void*, const void*>, mark_hash> logged_since_load;

void let_go_of_reads() {
    std::vector<read_mark>().swap(read_log);
    std::unordered_set<std::pair<const void*, const void*>, mark_hash>().swap(logged_since_load);
}
}  // namespace

namespace detail {

enum class load_kind { joined, prefetched, aggregated };

// One relation or aggregate a load registered: what n_plus_one_detector::loaded() takes.
struct loaded_relation {
    std::string path;      // root table, then relation names: projects.tasks.assignee, projects.count(tasks)
    std::string relation;  // the last step of the path: assignee, count(tasks)
    std::string owner_table;
    load_kind kind = load_kind::prefetched;
    const void* id = nullptr;         // relation_id<Node, I>: what a read of it records
    std::vector<const void*> owners;  // the distinct owner nodes it was loaded on, sorted
    std::size_t reads_before = 0;     // reads_recorded() when it was loaded
};

void record_read(const void* node, const void* relation) noexcept {
    try {
        if (logged_since_load.insert({node, relation}).second) read_log.push_back({node, relation});
    } catch (...) {  // out of memory: this read is not credited (a possible false positive, never a crash)
    }
}

std::size_t reads_recorded() noexcept { return read_log.size(); }

std::string relation_name(const relation_info& r) {
    for (const relation_info& x : registered_relations())
        if (!x.name.empty() && x.kind == r.kind && x.owner_table == r.owner_table && x.owner_column == r.owner_column &&
            x.target_table == r.target_table && x.target_column == r.target_column && x.through_table == r.through_table)
            return x.name;
    return std::string("(") + kind_name(r.kind) + " " + r.owner_table + "." + r.owner_column + " -> " + r.target_table +
           "." + r.target_column + ")";
}

namespace {

// The relation a load of `owner` names, as the registry describes relations.
relation_info relation_of(const table_info& owner, const load_tree& l) {
    relation_info r;
    r.kind = static_cast<relation_kind>(l.relation);
    r.owner_table = owner.name;
    r.owner_column = owner.columns[l.owner_column].name;
    r.target_table = l.target->name;
    r.target_column = l.target->columns[l.target_column].name;
    if (l.through != nullptr) {
        r.through_table = l.through->name;
        r.through_owner_column = l.through->columns[l.through_owner_column].name;
    }
    return r;
}

// Every relation and aggregate loaded on the distinct nodes `level` (of the query `q`,
// whose node type `walk` describes), then the levels below, depth first in query order.
void walk_level(std::vector<const void*> level, const query_tree& q, const node_walk& walk, const std::string& path,
                std::vector<loaded_relation>& out) {
    if (level.empty()) return;  // no owner rows: nothing could have been read
    std::sort(level.begin(), level.end(), std::less<>());
    level.erase(std::unique(level.begin(), level.end()), level.end());  // prefetched single nodes are shared
    for (std::size_t i = 0; i < q.loads.size(); ++i) {
        const load_tree& l = q.loads[i];
        const slot_walk& slot = walk.slots[i];
        std::string name = relation_name(relation_of(*q.spec.table, l));
        load_kind kind = load_kind::prefetched;
        if (l.how == load_tree::kind::aggregated) {
            kind = load_kind::aggregated;
            name = std::string(aggregate_fn_name(l.aggregate.fn)) + "(" + name +
                   (l.aggregate.column.empty() ? std::string() : "." + l.aggregate.column) + ")";
        } else if (l.how == load_tree::kind::joined) {
            kind = load_kind::joined;
        }
        out.push_back({path + "." + name, name, q.spec.table->name, kind, slot.id, level, read_log.size()});
        if (kind == load_kind::aggregated) continue;
        std::vector<const void*> children;
        for (const void* owner : level) {
            const slot_walk::nodes c = slot.children(owner);
            for (std::size_t k = 0; k < c.count; ++k)
                children.push_back(static_cast<const char*>(c.first) + k * slot.stride);
        }
        const std::string child_path = out.back().path;
        walk_level(std::move(children), l.nested, *slot.child, child_path, out);
    }
}

}  // namespace

void note_loaded(const query_tree& tree, const node_walk& walk, const void* first, std::size_t count,
                 std::size_t stride, const source_location& where) {
    std::vector<const void*> level;
    level.reserve(count);
    for (std::size_t k = 0; k < count; ++k) level.push_back(static_cast<const char*>(first) + k * stride);
    std::vector<loaded_relation> loaded;
    walk_level(std::move(level), tree, walk, tree.spec.table->name, loaded);
    logged_since_load.clear();  // a read from now on may be of this load's nodes
    for (n_plus_one_detector* d : tracking_detectors)
        for (const loaded_relation& r : loaded) d->loaded(r, where);
}

}  // namespace detail

void n_plus_one_detector::loaded(const detail::loaded_relation& r, const eagerload::source_location& where) {
    const std::string file = where.file_name();
    const unsigned line = where.line();
    std::lock_guard lock(mutex_);
    load_event event{r.id, r.owners, r.reads_before};
    for (loaded_state& x : loaded_)
        if (x.line == line && x.path == r.path && x.file == file) {
            x.loads.push_back(std::move(event));
            return;
        }
    loaded_.push_back({r.path, r.relation, r.owner_table, file, short_function(where.function_name()),
                       static_cast<int>(r.kind), line, {}});
    loaded_.back().loads.push_back(std::move(event));
}

std::vector<unused_load> n_plus_one_detector::unused_loads() const {
    std::lock_guard lock(mutex_);
    // Each read of this thread since the scope opened is credited to the most recent load
    // (before the read) that returned that node with that relation; a read of a node no
    // load returned (a copy, a graph from before the scope) to every load of that
    // relation before it, so that reading a copy is never reported as unused.
    using entry = std::pair<std::size_t, std::size_t>;  // reads_before, index in loaded_
    std::unordered_map<std::pair<const void*, const void*>, std::vector<entry>, mark_hash> by_node;
    std::unordered_map<const void*, std::vector<entry>> by_relation;
    for (std::size_t i = 0; i < loaded_.size(); ++i)
        for (const load_event& e : loaded_[i].loads) {
            by_relation[e.id].push_back({e.reads_before, i});
            for (const void* owner : e.owners) by_node[{owner, e.id}].push_back({e.reads_before, i});
        }
    for (auto& [k, v] : by_node) std::sort(v.begin(), v.end());
    std::vector<bool> read(loaded_.size(), false);
    for (std::size_t k = std::min(reads_from_, read_log.size()); k < read_log.size(); ++k) {
        const read_mark& m = read_log[k];
        if (const auto it = by_node.find({m.node, m.relation}); it != by_node.end()) {
            const auto after = std::upper_bound(it->second.begin(), it->second.end(),
                                                entry{k, static_cast<std::size_t>(-1)});
            if (after != it->second.begin()) read[std::prev(after)->second] = true;
        } else if (const auto r = by_relation.find(m.relation); r != by_relation.end()) {
            for (const entry& e : r->second)
                if (e.first <= k) read[e.second] = true;
        }
    }
    std::vector<unused_load> out;
    for (std::size_t i = 0; i < loaded_.size(); ++i) {
        const loaded_state& x = loaded_[i];
        if (read[i]) continue;
        if (std::any_of(options_.safelist.begin(), options_.safelist.end(), [&](const std::string& safe) {
                return x.path == safe ||
                       (x.path.size() > safe.size() && x.path.ends_with(safe) && x.path[x.path.size() - safe.size() - 1] == '.');
            }))
            continue;
        const auto kind = static_cast<detail::load_kind>(x.kind);
        const char* call = kind == detail::load_kind::joined       ? "join("
                           : kind == detail::load_kind::aggregated ? "aggregate("
                                                                   : "prefetch(";
        out.push_back({x.path, x.relation, kind == detail::load_kind::joined, kind == detail::load_kind::aggregated,
                       x.file.empty() ? std::string() : short_file(x.file), x.line, x.function, x.loads.size(),
                       "drop ." + std::string(call) + x.relation + ") from the query that loads " + x.owner_table +
                           ", or read it"});
    }
    return out;
}

std::string n_plus_one_detector::unused_report(const std::vector<unused_load>& found) const {
    std::string out;
    for (std::size_t i = 0; i < found.size(); ++i) {
        const unused_load& u = found[i];
        out += std::to_string(i + 1) + ") " + u.path + ": " + (u.joined ? "joined" : u.aggregated ? "aggregated" : "prefetched") + " by the load at " +
               (u.file.empty() ? std::string("(call site unknown)")
                               : u.file + ":" + std::to_string(u.line) + " (" + u.function + ")") +
               (u.loads == 1 ? std::string() : ", " + std::to_string(u.loads) + " loads") + ", never read\n   " +
               u.advice + "\n";
    }
    return out;
}

// --- the detector --------------------------------------------------------------------------

n_plus_one_detector::n_plus_one_detector(const database& db, detector_options options, eagerload::source_location scope)
    : options_(std::move(options)), scope_(scope), uncaught_(std::uncaught_exceptions()) {
    watch(db, options_.scope);
    if (options_.unused_loads) {
        tracking_detectors.push_back(this);
        ++detail::tracking_reads;
        reads_from_ = read_log.size();
    }
}

n_plus_one_detector::~n_plus_one_detector() noexcept(false) {
    unwatch();
    // What to report is decided before this thread's reads are let go.
    std::vector<unused_load> found;
    std::string r;
    const bool raise = options_.mode != detector_mode::log;
    if (raise) {
        if (options_.unused_loads && std::uncaught_exceptions() <= uncaught_) found = unused_loads();
    } else {
        r = report();
    }
    if (options_.unused_loads) {
        tracking_detectors.erase(std::find(tracking_detectors.begin(), tracking_detectors.end(), this));
        if (--detail::tracking_reads == 0) let_go_of_reads();
    }
    if (raise) {
        if (!found.empty())
            throw unused_load_error("eagerload: unused eager load" + std::string(found.size() == 1 ? "" : "s") +
                                    " in the scope opened at " + short_file(scope_.file_name()) + ":" +
                                    std::to_string(scope_.line()) + ":\n" + unused_report(found));
        return;
    }
    if (r.empty()) return;
    if (options_.write) options_.write(r);
    else std::fputs(r.c_str(), stderr);
}

void n_plus_one_detector::before(std::string_view sql) {
    const std::string shape = shape_of(sql);
    const eagerload::source_location* where = detail::call_site::current();
    std::lock_guard lock(mutex_);
    auto [it, fresh] = shapes_.try_emplace(shape);
    if (fresh) order_.push_back(shape);
    shape_state& st = it->second;
    ++st.count;
    const std::string file = where ? where->file_name() : "";
    const unsigned line = where ? where->line() : 0;
    auto s = std::find_if(st.sites.begin(), st.sites.end(),
                          [&](const site_state& x) { return x.line == line && x.file == file; });
    if (s == st.sites.end()) {
        st.sites.push_back({file, where ? short_function(where->function_name()) : std::string(), line, 0, last_table_});
        s = st.sites.end() - 1;
    }
    ++s->count;
    last_table_ = from_table(sql);
    if (options_.mode == detector_mode::raise && st.count == options_.threshold + 1) {
        for (const std::string& safe : options_.safelist)
            if (shape.find(safe) != std::string::npos) return;
        throw n_plus_one_error("eagerload: N+1: " + describe(shape, st));
    }
}

std::string n_plus_one_detector::advice(const std::string& shape, const site_state& s) const {
    if (shape.starts_with("INSERT")) return "insert the rows with one insert_all(db, rows)";
    const key_lookup k = lookup_of(shape);
    if (k.table.empty()) return {};
    std::vector<relation_info> candidates;
    for (relation_info& r : registered_relations())
        if ((r.target_table == k.table && r.target_column == k.column && r.kind != relation_kind::many_to_many) ||
            (r.through_table == k.table && r.through_owner_column == k.column))
            candidates.push_back(std::move(r));
    if (candidates.empty()) return {};
    if (candidates.size() > 1) {  // the rows just read before the lookups are the likely owners
        std::vector<relation_info> owned;
        for (const relation_info& r : candidates)
            if (r.owner_table == s.previous_table) owned.push_back(r);
        if (owned.size() == 1) candidates = owned;
    }
    std::string out = "a key lookup on " + k.table + "." + k.column + ": ";
    if (candidates.size() > 1) out += "one of ";
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const relation_info& r = candidates[i];
        if (i) out += i + 1 == candidates.size() ? " or " : ", ";
        const bool single = r.kind == relation_kind::belongs_to || r.kind == relation_kind::has_one;
        out += "load `" + r.name + "` (" + kind_name(r.kind) + ", " + r.owner_table + " -> " + r.target_table +
               ") eagerly: add ." + (single ? "join(" : "prefetch(") + r.name + ") to the query that loads " +
               r.owner_table;
    }
    return out;
}

std::string n_plus_one_detector::describe(const std::string& shape, const shape_state& st) const {
    std::string out = std::to_string(st.count) + " times (threshold " + std::to_string(options_.threshold) +
                      "): " + shape + "\n";
    for (const site_state& s : st.sites) {
        out += "   from ";
        out += s.file.empty() ? std::string("(call site unknown)")
                              : short_file(s.file) + ":" + std::to_string(s.line) + " (" + s.function + ")";
        out += ", " + std::to_string(s.count) + " times\n";
        const std::string a = advice(shape, s);
        if (!a.empty()) out += "   " + a + "\n";
    }
    return out;
}

std::vector<n_plus_one> n_plus_one_detector::findings() const {
    std::lock_guard lock(mutex_);
    std::vector<n_plus_one> out;
    for (const std::string& shape : order_) {
        const shape_state& st = shapes_.at(shape);
        if (st.count <= options_.threshold) continue;
        if (std::any_of(options_.safelist.begin(), options_.safelist.end(),
                        [&](const std::string& safe) { return shape.find(safe) != std::string::npos; }))
            continue;
        n_plus_one f{shape, st.count, {}};
        for (const site_state& s : st.sites)
            f.sites.push_back({s.file.empty() ? std::string() : short_file(s.file), s.line, s.function, s.count,
                               advice(shape, s)});
        out.push_back(std::move(f));
    }
    return out;
}

std::string n_plus_one_detector::report() const {
    const std::vector<n_plus_one> found = findings();
    const std::vector<unused_load> unused = unused_loads();
    const std::string where = short_file(scope_.file_name()) + ":" + std::to_string(scope_.line()) + " (" +
                              short_function(scope_.function_name()) + "): ";
    std::string out;
    if (!found.empty()) {
        out = "eagerload: N+1 in the scope opened at " + where + std::to_string(found.size()) +
              " repeated statement shape" + (found.size() == 1 ? "" : "s") + "\n";
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < found.size(); ++i)
            out += std::to_string(i + 1) + ") " + describe(found[i].shape, shapes_.at(found[i].shape));
    }
    if (!unused.empty())
        out += "eagerload: unused eager loads in the scope opened at " + where + std::to_string(unused.size()) +
               " relation" + (unused.size() == 1 ? "" : "s") + " loaded and never read\n" + unused_report(unused);
    return out;
}

}  // namespace eagerload

// The dashboard the way an expert writes it directly against SOCI: the same four
// statements as the eager plan (same columns: only those the page prints and the keys;
// same joins, filters, order and, in the summary variant, the same count subqueries),
// fetched in bulk into column vectors and assembled by hand. The floor eagerload is
// measured against.
#include <soci/soci.h>

#include <eagerload/timestamp.hpp>
#include <fmt/format.h>

#include <stdexcept>
#include <unordered_map>

#include "dashboard.hpp"

namespace dashboard {

namespace {

// Column vectors for one statement, fetched 512 rows at a time.
class bulk {
public:
    explicit bulk(soci::session& s) : st_(s) {}

    std::size_t integer() {
        ints_.emplace_back(batch);
        int_ind_.emplace_back(batch);
        return ints_.size() - 1;
    }
    std::size_t text() {
        texts_.emplace_back(batch);
        text_ind_.emplace_back(batch);
        return texts_.size() - 1;
    }
    long long i(std::size_t c, std::size_t r) const { return ints_[c][r]; }
    bool null_i(std::size_t c, std::size_t r) const { return int_ind_[c][r] == soci::i_null; }
    std::string& t(std::size_t c, std::size_t r) { return texts_[c][r]; }
    bool null_t(std::size_t c, std::size_t r) const { return text_ind_[c][r] == soci::i_null; }

    // Binds the intos in column order (ints and texts interleaved as `order` says).
    template <class Row>
    void run(const std::string& sql, const std::vector<char>& order, std::vector<std::string>& params, Row&& row) {
        std::size_t ni = 0, nt = 0;
        for (char kind : order) {
            if (kind == 'i') st_.exchange(soci::into(ints_[ni], int_ind_[ni])), ++ni;
            else st_.exchange(soci::into(texts_[nt], text_ind_[nt])), ++nt;
        }
        for (auto& p : params) st_.exchange(soci::use(p));
        st_.alloc();
        st_.prepare(sql, soci::details::st_one_time_query);  // one round trip on PostgreSQL
        st_.define_and_bind();
        for (bool got = st_.execute(true); got; got = st_.fetch()) {
            const std::size_t n = ints_.empty() ? texts_[0].size() : ints_[0].size();
            for (std::size_t r = 0; r < n; ++r) row(r);
            for (auto& v : ints_) v.resize(batch);
            for (auto& v : int_ind_) v.resize(batch);
            for (auto& v : texts_) v.resize(batch);
            for (auto& v : text_ind_) v.resize(batch);
        }
    }

private:
    static constexpr std::size_t batch = 512;
    soci::statement st_;
    std::vector<std::vector<long long>> ints_;
    std::vector<std::vector<soci::indicator>> int_ind_;
    std::vector<std::vector<std::string>> texts_;
    std::vector<std::vector<soci::indicator>> text_ind_;
};

eagerload::timestamp parse(const std::string& s) {
    eagerload::timestamp t;
    if (!eagerload::parse_timestamp(s, t)) throw std::runtime_error("handwritten: bad timestamp " + s);
    return t;
}

// The list of ids as ONE parameter, the way each database reads it best.
struct dialect_sql {
    eagerload::dialect d;
    std::string in(const std::string& column) const {
        switch (d) {
        case eagerload::dialect::postgresql: return column + " = ANY(CAST(:ids AS bigint[]))";
        case eagerload::dialect::mariadb:
            return column + " IN (SELECT v FROM JSON_TABLE(:ids, '$[*]' COLUMNS (v BIGINT PATH '$')) AS ids)";
        case eagerload::dialect::sqlite: break;
        }
        return column + " IN (SELECT value FROM json_each(:ids))";
    }
    // {1,2,3} for PostgreSQL's array, [1,2,3] (JSON) for the others.
    std::string list(const std::vector<long long>& ids) const {
        const bool pg = d == eagerload::dialect::postgresql;
        std::string out = pg ? "{" : "[";
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (i) out += ',';
            out += std::to_string(ids[i]);
        }
        return out + (pg ? "}" : "]");
    }
};

}  // namespace

result load_handwritten(variant v, const eagerload::database& db, std::int64_t user_id) {
    soci::connection_pool& pool = db.soci_pool();
    const std::size_t slot = pool.lease();
    struct give_back {
        soci::connection_pool& p;
        std::size_t s;
        ~give_back() { p.give_back(s); }
    } guard{pool, slot};
    soci::session& s = pool.at(slot);
    const dialect_sql d{db.sql_dialect()};
    const bool limited = v != variant::full;
    const bool summary = v == variant::summary;
    std::size_t statements = 0;
    view out;

    // One snapshot, as eagerload does. MariaDB sets the level before the transaction
    // (for the next one only), PostgreSQL inside it; InnoDB's REPEATABLE READ reads every
    // statement from the snapshot of the first.
    if (d.d == eagerload::dialect::mariadb) s << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
    soci::transaction tx(s);
    if (d.d == eagerload::dialect::postgresql) s << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";

    // 1. The user's 20 newest projects, owner joined.
    std::unordered_map<long long, std::size_t> project_at;
    std::vector<long long> project_ids;
    {
        bulk q(s);
        const auto p_id = q.integer(), p_owner = q.integer(), u_id = q.integer(), task_count = q.integer();
        const auto p_name = q.text(), u_name = q.text();
        std::vector<std::string> params{std::to_string(user_id)};
        std::vector<char> kinds{'i', 't', 'i', 'i', 't'};
        std::string columns = "SELECT p.id, p.name, p.owner_id, u.id, u.name";
        if (summary) {
            columns += ", (SELECT count(*) FROM tasks x WHERE x.project_id = p.id)";
            kinds.push_back('i');
        }
        q.run(columns +
                  " FROM projects p LEFT JOIN users u ON u.id = p.owner_id "
                  "WHERE EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = :u) "
                  "ORDER BY p.updated_at DESC, p.id DESC LIMIT 20",
              kinds, params, [&](std::size_t r) {
                  project_at[q.i(p_id, r)] = out.size();
                  project_ids.push_back(q.i(p_id, r));
                  project_view& pv = out.emplace_back();
                  pv.id = q.i(p_id, r);
                  pv.name = std::move(q.t(p_name, r));
                  pv.owner = std::move(q.t(u_name, r));
                  if (summary) pv.task_count = q.i(task_count, r);
              });
        (void)p_owner, (void)u_id;
        ++statements;
    }
    if (project_ids.empty()) return {std::move(out), statements};

    // 2. Their tasks, assignee joined (top 10 per project in the limited variant).
    struct task_ref {
        std::size_t project, task;
    };
    std::unordered_map<long long, task_ref> task_at;
    std::vector<long long> task_ids;
    {
        bulk q(s);
        const auto t_id = q.integer(), t_project = q.integer(), t_assignee = q.integer(), t_priority = q.integer(),
                   a_id = q.integer(), comment_count = q.integer();
        const auto t_title = q.text(), a_name = q.text();
        std::vector<std::string> params{d.list(project_ids)};
        std::vector<char> kinds{'i', 'i', 'i', 't', 'i', 'i', 't'};
        std::string columns = "SELECT t.id, t.project_id, t.assignee_id, t.title, t.priority, a.id, a.name";
        if (summary) {
            columns += ", (SELECT count(*) FROM comments x WHERE x.task_id = t.id)";
            kinds.push_back('i');
        }
        columns += ' ';
        const std::string sql =
            limited ? columns +
                          "FROM (SELECT tasks.*, ROW_NUMBER() OVER (PARTITION BY tasks.project_id ORDER BY "
                          "tasks.priority DESC, tasks.created_at DESC, tasks.id DESC) AS rn FROM tasks WHERE " +
                          d.in("tasks.project_id") +
                          ") t LEFT JOIN users a ON a.id = t.assignee_id WHERE t.rn > 0 AND t.rn <= 10 ORDER BY t.rn"
                    : columns + "FROM tasks t LEFT JOIN users a ON a.id = t.assignee_id WHERE " + d.in("t.project_id") +
                          " ORDER BY t.priority DESC, t.created_at DESC, t.id DESC";
        q.run(sql, kinds, params, [&](std::size_t r) {
            const std::size_t p = project_at.at(q.i(t_project, r));
            auto& list = out[p].tasks;
            task_at[q.i(t_id, r)] = {p, list.size()};
            task_ids.push_back(q.i(t_id, r));
            task_view& tv = list.emplace_back();
            tv.id = q.i(t_id, r);
            tv.title = std::move(q.t(t_title, r));
            if (!q.null_i(a_id, r)) tv.assignee = std::move(q.t(a_name, r));
            tv.priority = static_cast<std::int32_t>(q.i(t_priority, r));
            if (summary) tv.comment_count = q.i(comment_count, r);
        });
        (void)t_assignee;
        ++statements;
    }

    // 3. Their comments, author joined (5 newest per task in the limited variant).
    if (!task_ids.empty()) {
        bulk q(s);
        const auto c_id = q.integer(), c_task = q.integer(), c_author = q.integer(), u_id = q.integer();
        const auto c_text = q.text(), c_created = q.text(), u_name = q.text();
        std::vector<std::string> params{d.list(task_ids)};
        const std::string columns = "SELECT c.id, c.task_id, c.author_id, c.text, c.created_at, u.id, u.name ";
        const std::string sql =
            limited ? columns +
                          "FROM (SELECT comments.*, ROW_NUMBER() OVER (PARTITION BY comments.task_id ORDER BY "
                          "comments.created_at DESC, comments.id DESC) AS rn FROM comments WHERE " +
                          d.in("comments.task_id") +
                          ") c LEFT JOIN users u ON u.id = c.author_id WHERE c.rn > 0 AND c.rn <= 5 ORDER BY c.rn"
                    : columns + "FROM comments c LEFT JOIN users u ON u.id = c.author_id WHERE " + d.in("c.task_id") +
                          " ORDER BY c.created_at DESC, c.id DESC";
        q.run(sql, {'i', 'i', 'i', 't', 't', 'i', 't'}, params, [&](std::size_t r) {
            const task_ref& ref = task_at.at(q.i(c_task, r));
            out[ref.project].tasks[ref.task].comments.push_back(
                comment_view{std::move(q.t(c_text, r)), std::move(q.t(u_name, r)), parse(q.t(c_created, r))});
        });
        (void)c_id, (void)c_author, (void)u_id;
        ++statements;
    }

    // 4. Their members by membership id, user joined.
    {
        bulk q(s);
        const auto m_id = q.integer(), m_project = q.integer(), m_user = q.integer(), u_id = q.integer();
        const auto u_name = q.text();
        std::vector<std::string> params{d.list(project_ids)};
        q.run("SELECT m.id, m.project_id, m.user_id, u.id, u.name FROM project_members m "
              "LEFT JOIN users u ON u.id = m.user_id WHERE " +
                  d.in("m.project_id") + " ORDER BY m.id",
              {'i', 'i', 'i', 'i', 't'}, params,
              [&](std::size_t r) { out[project_at.at(q.i(m_project, r))].members.push_back(std::move(q.t(u_name, r))); });
        (void)m_id, (void)m_user, (void)u_id;
        ++statements;
    }
    tx.commit();
    return {std::move(out), statements};
}

result load_naive(variant v, const eagerload::database& db, std::int64_t user_id);
result load_eager(variant v, const eagerload::database& db, std::int64_t user_id);

result load(strategy st, variant v, const eagerload::database& db, std::int64_t user_id, libpq_connection* pq) {
    switch (st) {
    case strategy::naive: return load_naive(v, db, user_id);
    case strategy::eager: return load_eager(v, db, user_id);
    case strategy::handwritten: return load_handwritten(v, db, user_id);
    case strategy::libpq:
        if (!pq) throw std::invalid_argument("the libpq strategy needs its own connection (PostgreSQL only)");
        return load_libpq(v, *pq, user_id);
    }
    throw std::invalid_argument("unknown strategy");
}

}  // namespace dashboard

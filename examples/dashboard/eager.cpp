// The dashboard as one eagerload expression: 4 statements whatever the data size, loading
// only the columns the page prints (query.hpp's page_query and summary_page_query).
#include <eagerload/counter.hpp>
#include <eagerload/exists.hpp>
#include <eagerload/select.hpp>

#include "dashboard.hpp"
#include "model.hpp"
#include "query.hpp"

namespace dashboard {

namespace {

using eagerload::col;

// The graph is ours: move its strings into the view rather than copy them.
template <bool summary, class Page>
view assemble(Page&& page) {
    using eagerload::agg::count;
    view out;
    for (auto& p : page) {
        project_view& pv = out.emplace_back();
        pv.id = p[col<&Project::id>];
        pv.name = std::move(p[col<&Project::name>]);
        pv.owner = std::move(p[owner][col<&User::name>]);
        if constexpr (summary) pv.task_count = p[count(tasks)];
        pv.tasks.reserve(p[tasks].size());
        for (auto& t : p[tasks]) {
            task_view& tv = pv.tasks.emplace_back();
            tv.id = t[col<&Task::id>];
            tv.title = std::move(t[col<&Task::title>]);
            tv.priority = t[col<&Task::priority>];
            if constexpr (summary) tv.comment_count = t[count(comments)];
            if (auto* a = t[assignee]) tv.assignee = std::move((*a)[col<&User::name>]);
            tv.comments.reserve(t[comments].size());
            for (auto& c : t[comments])
                tv.comments.push_back(comment_view{std::move(c[col<&Comment::text>]), std::move(c[author][col<&User::name>]),
                                                   c[col<&Comment::created_at>]});
        }
        for (auto& m : p[members]) pv.members.push_back(std::move(m[member_user][col<&User::name>]));
    }
    return out;
}

}  // namespace

std::vector<std::string> eager_plan(variant v, eagerload::dialect d) {
    if (v == variant::summary) return summary_page_query(1).plan(d).statements;
    return page_query(v == variant::limited, 1).plan(d).statements;
}

result load_eager(variant v, const eagerload::database& db, std::int64_t user_id) {
    eagerload::query_counter counter(db, eagerload::counter_scope::this_thread);
    view out;
    if (v == variant::summary) {
        const auto query = summary_page_query(user_id);
        static_assert(decltype(query)::statements == 4);
        out = assemble<true>(query.load(db));
    } else {
        const auto query = page_query(v == variant::limited, user_id);
        static_assert(decltype(query)::statements == 4);
        out = assemble<false>(query.load(db));
    }
    return {std::move(out), counter.count()};
}

page_result load_eager_page(variant v, const eagerload::database& db, std::int64_t user_id, std::size_t size,
                            const std::string& token) {
    const auto query = paged_projects(v == variant::limited, user_id);
    eagerload::query_counter counter(db, eagerload::counter_scope::this_thread);
    auto page = query.page(db, size, token);
    return {{assemble<false>(page.rows), counter.count()}, std::move(page.next_token)};
}

}  // namespace dashboard

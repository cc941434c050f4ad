// The dashboard as one eagerload expression: 4 statements whatever the data size.
#include <eagerload/counter.hpp>
#include <eagerload/exists.hpp>
#include <eagerload/select.hpp>

#include "dashboard.hpp"
#include "model.hpp"
#include "query.hpp"

namespace dashboard {

namespace {

auto dashboard_query(variant v, std::int64_t user_id) { return dashboard::dashboard_query(v == variant::limited, user_id); }

}  // namespace

std::vector<std::string> eager_plan(variant v, eagerload::dialect d) {
    return dashboard_query(v, 1).plan(d).statements;
}

// The graph is ours: move its strings into the view rather than copy them.
template <class Projects>
view to_view(Projects& projects) {
    view out;
    for (auto& p : projects) {
        project_view& pv = out.emplace_back();
        pv.id = p.id;
        pv.name = std::move(p.name);
        pv.owner = std::move(p[owner].name);
        pv.tasks.reserve(p[tasks].size());
        for (auto& t : p[tasks]) {
            task_view& tv = pv.tasks.emplace_back();
            tv.id = t.id;
            tv.title = std::move(t.title);
            tv.priority = t.priority;
            if (auto* a = t[assignee]) tv.assignee = std::move(a->name);
            tv.comments.reserve(t[comments].size());
            for (auto& c : t[comments])
                tv.comments.push_back(comment_view{std::move(c.text), std::move(c[author].name), c.created_at});
        }
        for (auto& m : p[members]) pv.members.push_back(std::move(m[member_user].name));
    }
    return out;
}

result load_eager(variant v, const eagerload::database& db, std::int64_t user_id) {
    const auto query = dashboard_query(v, user_id);
    static_assert(decltype(query)::statements == 4);
    eagerload::query_counter counter(db, eagerload::counter_scope::this_thread);
    auto projects = query.load(db);
    return {to_view(projects), counter.count()};
}

page_result load_eager_page(variant v, const eagerload::database& db, std::int64_t user_id, std::size_t size,
                            const std::string& token) {
    const auto query = dashboard::dashboard_projects(v == variant::limited, user_id);
    eagerload::query_counter counter(db, eagerload::counter_scope::this_thread);
    auto page = query.page(db, size, token);
    return {{to_view(page.rows), counter.count()}, std::move(page.next_token)};
}

}  // namespace dashboard

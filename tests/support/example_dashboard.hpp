#pragma once
// The dashboard example's data (examples/dashboard) at the small size the interop tests
// generate: every shape of the page, in a fraction of a second on every backend.
#include "dashboard/dashboard.hpp"  // examples/dashboard

namespace eagerload_test {

inline dashboard::config small_example_dashboard() {
    dashboard::config cfg;
    cfg.users = 40;
    cfg.projects = 12;
    cfg.member_projects = 8;
    cfg.tasks_per_project = 6;
    cfg.comments_per_task = 3;
    cfg.members_per_project = 4;
    return cfg;
}

}  // namespace eagerload_test

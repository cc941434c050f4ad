#pragma once
// Random dashboard-shaped datasets for the eager loading tests: the schema with
// foreign keys, a seeded generator with the awkward cases (NULL FKs, parents
// without children, shared FKs, ties in sort keys), and a bulk loader.
#include <random>
#include <vector>

#include "dashboard.hpp"
#include "eagerload/database.hpp"

namespace dash {

struct sizes {
    int users = 30;
    int projects = 12;
    int tasks_per_project = 8;  // upper bound; some projects get none
    int comments_per_task = 4;  // upper bound
    int members_per_project = 4;
};

struct dataset {
    std::vector<User> users;
    std::vector<Project> projects;
    std::vector<ProjectMember> members;
    std::vector<Task> tasks;
    std::vector<Comment> comments;
    std::vector<Profile> profiles;
    std::vector<Employee> employees;
};

void create_schema(const eagerload::database& db);
dataset generate(unsigned seed, const sizes& s);
// The small hand-made graph most tests check by eye (t0 = 2024-05-01):
// users 1..4; projects 10 (owner 1), 11 (owner 2), 12 (owner 1, no tasks, no members);
// members: 10 has users 2, 3; 11 has 1, 2, 4; tasks 100-102 of 10 (101 unassigned, 101
// and 102 tied on priority 3), 103-104 of 11; comments on 100 (1000, then 1001 and 1002
// tied at t0+5min) and on 103 (1003); profiles of users 1 and 3; employees 1 <- 2 <- 3,
// 4 alone.
dataset small_dataset();
void insert(const eagerload::database& db, const dataset& d);

}  // namespace dash

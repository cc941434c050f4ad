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
void insert(const eagerload::database& db, const dataset& d);

}  // namespace dash

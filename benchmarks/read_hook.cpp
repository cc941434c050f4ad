// What the unused-eager-load detector's read hook (include/eagerload/detail/read_marks.hpp)
// costs on the read path: node[relation] over a loaded graph, built once in memory in the
// shape of the story's dashboard (60 projects, each with its owner, 50 tasks with their
// assignee, 10 comments per task with their author: ~36,000 relation reads per pass).
//
// This file is compiled twice (benchmarks/CMakeLists.txt):
//   bench_read_hook       the hook compiled in, as every user gets it
//   bench_read_hook_off   with EAGERLOAD_NO_READ_HOOK: the hook compiled out
// Benchmarks:
//   read/graph     every relation of the graph, once (the dashboard's rendering loop)
//   read/hot       one task's assignee and comments, 1,000 times (in cache: the hook's
//                  cost is not hidden behind memory)
//   read/.../tracking   the same with a detector's tracking on (bench_read_hook only: the
//                       off build has no hook, its numbers are the off numbers again)
//
//   for b in bench_read_hook bench_read_hook_off; do
//     build-bench/benchmarks/$b --benchmark_repetitions=15 --benchmark_min_time=0.2
//       --benchmark_report_aggregates_only=true | grep median     (one line)
//   done   (docs/testing.md, "Unused eager loads", has the command and the numbers)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "../examples/dashboard/model.hpp"
#include <eagerload/select.hpp>

namespace {

using namespace dashboard;
using namespace eagerload;

inline auto graph_query() {
    return select<Project>()
        .join(owner)
        .prefetch(tasks, select<Task>().join(assignee).prefetch(comments, select<Comment>().join(author)));
}
using project_node = decltype(graph_query())::node_type;
using task_node = std::remove_cvref_t<decltype(std::declval<const project_node&>()[tasks].front())>;
using comment_node = std::remove_cvref_t<decltype(std::declval<const task_node&>()[comments].front())>;

std::vector<project_node> make_graph() {
    std::vector<project_node> out(60);
    std::int64_t id = 0;
    for (auto& p : out) {
        p.id = ++id;
        eagerload::detail::slot_get<0>(p.loaded).emplace();
        eagerload::detail::slot_get<0>(p.loaded)->id = id % 500;
        auto& ts = eagerload::detail::slot_get<1>(p.loaded);
        ts.resize(50);
        for (auto& t : ts) {
            t.id = ++id;
            if (id % 3) {
                eagerload::detail::slot_get<0>(t.loaded).emplace();
                eagerload::detail::slot_get<0>(t.loaded)->id = id % 500;
            }
            auto& cs = eagerload::detail::slot_get<1>(t.loaded);
            cs.resize(10);
            for (auto& c : cs) {
                c.id = ++id;
                eagerload::detail::slot_get<0>(c.loaded).emplace();
                eagerload::detail::slot_get<0>(c.loaded)->id = id % 500;
            }
        }
    }
    return out;
}

// Reads every relation: the sum of the ids reached, so that nothing is optimised away.
std::int64_t read_all(const std::vector<project_node>& graph) {
    std::int64_t sum = 0;
    for (const auto& p : graph) {
        sum += p[owner].id;
        for (const auto& t : p[tasks]) {
            if (const auto* a = t[assignee]) sum += a->id;
            for (const auto& c : t[comments]) sum += c[author].id;
        }
    }
    return sum;
}

std::int64_t read_hot(const task_node& t) {
    std::int64_t sum = 0;
    for (int i = 0; i < 1000; ++i) {
        benchmark::DoNotOptimize(&t);
        if (const auto* a = t[assignee]) sum += a->id;
        sum += static_cast<std::int64_t>(t[comments].size());
    }
    return sum;
}

struct tracking {  // what n_plus_one_detector({.unused_loads = true}) sets on its thread
    explicit tracking(bool on) : on_(on) {
        if (on_) ++detail::tracking_reads;
    }
    ~tracking() {
        if (on_) --detail::tracking_reads;
    }
    bool on_;
};

void bm_graph(benchmark::State& state, bool track) {
    const std::vector<project_node> graph = make_graph();
    const tracking t(track);
    for (auto _ : state) benchmark::DoNotOptimize(read_all(graph));
    state.SetItemsProcessed(state.iterations() * (60 * 2 + 60 * 50 * 2 + 60 * 50 * 10));
}

void bm_hot(benchmark::State& state, bool track) {
    const std::vector<project_node> graph = make_graph();
    const task_node& task = graph[0][tasks][1];  // one with an assignee
    const tracking t(track);
    for (auto _ : state) benchmark::DoNotOptimize(read_hot(task));
    state.SetItemsProcessed(state.iterations() * 2000);
}

#ifdef EAGERLOAD_NO_READ_HOOK
#define READ_HOOK_BUILD "hook_compiled_out"
#else
#define READ_HOOK_BUILD "hook_compiled_in"
#endif

[[maybe_unused]] const bool registered = [] {
    benchmark::RegisterBenchmark("read/graph/" READ_HOOK_BUILD, bm_graph, false);
    benchmark::RegisterBenchmark("read/hot/" READ_HOOK_BUILD, bm_hot, false);
#ifndef EAGERLOAD_NO_READ_HOOK
    benchmark::RegisterBenchmark("read/graph/" READ_HOOK_BUILD "/tracking", bm_graph, true);
    benchmark::RegisterBenchmark("read/hot/" READ_HOOK_BUILD "/tracking", bm_hot, true);
#endif
    return true;
}();

}  // namespace

BENCHMARK_MAIN();

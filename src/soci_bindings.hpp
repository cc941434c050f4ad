#pragma once
// Our bound values on a SOCI statement (the SOCI row paths, EXPLAIN): one place that
// knows how each param kind travels through soci::use.
#include <soci/soci.h>

#include <vector>

#include "eagerload/detail/value.hpp"

namespace eagerload::detail {

// Bound values need stable addresses for the statement's lifetime.
struct soci_bindings {
    params values;
    std::vector<soci::indicator> inds;

    explicit soci_bindings(const params& ps) : values(ps), inds(ps.size(), soci::i_ok) {}

    void bind(soci::statement& st) {
        for (std::size_t i = 0; i < values.size(); ++i) {
            param& p = values[i];
            switch (p.k) {
            case param::kind::null:
                inds[i] = soci::i_null;
                st.exchange(soci::use(p.s, inds[i]));
                break;
            case param::kind::integer: st.exchange(soci::use(p.i, inds[i])); break;
            case param::kind::real: st.exchange(soci::use(p.d, inds[i])); break;
            case param::kind::text:
            case param::kind::decimal:
            case param::kind::blob:  // a backend that takes raw bytes through SOCI (MariaDB hex-encodes them first)
                st.exchange(soci::use(p.s, inds[i]));
                break;
            }
        }
    }
};

}  // namespace eagerload::detail

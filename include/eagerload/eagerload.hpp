#pragma once
// The whole public API. Include the narrower headers (select.hpp, schema.hpp, ...)
// where compile time matters.
#include "eagerload/counter.hpp"
#include "eagerload/database.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/exists.hpp"
#include "eagerload/graph.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/update.hpp"
#include "eagerload/upsert.hpp"
#include "eagerload/model.hpp"
#include "eagerload/order_by.hpp"
#include "eagerload/plan.hpp"
#include "eagerload/relation.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "eagerload/timestamp.hpp"
#include "eagerload/where.hpp"

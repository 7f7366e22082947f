#pragma once

// Managed containers and volumes as docker's listings show them: the rows --format reads, with
// docker's field names and headers (ID, Names, CreatedAt, Labels as "k=v,k2=v2"), and --filter.

#include "format/listing.h"
#include "managed/containers.h"
#include "managed/volumes.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sandbox::managed {

// --filter KEY=VALUE terms: AND across keys, OR within a key, except label, whose terms must all
// match (as in docker). label=KEY or label=KEY=VALUE, name= (a part of the name), tenant=, run=,
// status= (a container state), until= (created before: a duration such as 24h, an RFC 3339 time
// or unix seconds).
struct ListFilter
{
  std::vector<std::pair<std::string, std::string>> terms;
};

// Parses --filter values, allowing only `keys`. `now` (unix seconds) turns durations into times.
// Throws UsageError naming the bad term and the keys allowed.
ListFilter parse_list_filter(const std::vector<std::string>& values, const std::vector<std::string_view>& keys,
                             std::int64_t now);

bool matches(const ListFilter& filter, const ManagedContainer& container);
bool matches(const ListFilter& filter, const ManagedVolume& volume);

// The fields of `ls` and its default table.
const format::Listing& container_listing();

// One `ls` row. `truncate`: IDs of 12 characters and the command cut at 20, as docker ps without
// --no-trunc. `now` (unix seconds) is what RunningFor counts from.
format::Object container_row(const ManagedContainer& container, bool truncate, std::int64_t now);

// The fields of `volume ls` (docker's, and Tenant, Run, CreatedAt) and its default table.
const format::Listing& volume_listing();

format::Object volume_row(const ManagedVolume& volume);

// Labels as docker's listings show them: "k=v,k2=v2".
std::string joined_labels(const std::vector<std::pair<std::string, std::string>>& labels);

// docker's units.HumanDuration: "Less than a second", "About a minute", "3 hours", "2 weeks".
std::string human_duration(std::int64_t seconds);

} // namespace sandbox::managed

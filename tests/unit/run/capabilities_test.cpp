// Capability names as --cap-add takes them, which of them hand over the host, and their mask.

#include "run/capabilities.h"
#include "util/error.h"

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(capabilities)

BOOST_AUTO_TEST_CASE(names_are_normalised)
{
  BOOST_TEST(sandbox::run::normalise_capability("net_bind_service") == "CAP_NET_BIND_SERVICE");
  BOOST_TEST(sandbox::run::normalise_capability("CAP_CHOWN") == "CAP_CHOWN");
  BOOST_TEST(sandbox::run::normalise_capability("all") == "ALL");
  BOOST_CHECK_THROW(sandbox::run::normalise_capability("net-admin"), sandbox::UsageError);
  BOOST_CHECK_THROW(sandbox::run::normalise_capability(""), sandbox::UsageError);
}

BOOST_AUTO_TEST_CASE(dangerous_ones_are_named)
{
  for (const char* name : {"CAP_SYS_ADMIN", "CAP_SYS_MODULE", "CAP_DAC_READ_SEARCH", "CAP_BPF", "ALL"}) {
    BOOST_TEST(sandbox::run::is_dangerous_capability(name), name);
  }
  for (const char* name : {"CAP_NET_BIND_SERVICE", "CAP_CHOWN", "CAP_KILL", "CAP_NO_SUCH"}) {
    BOOST_TEST(!sandbox::run::is_dangerous_capability(name), name);
  }
}

BOOST_AUTO_TEST_CASE(the_mask_has_one_bit_per_capability_by_its_number)
{
  BOOST_TEST(*sandbox::run::capability_mask({}) == "0000000000000000");
  BOOST_TEST(*sandbox::run::capability_mask({"CAP_CHOWN"}) == "0000000000000001");
  BOOST_TEST(*sandbox::run::capability_mask({"CAP_NET_BIND_SERVICE", "CAP_KILL"}) == "0000000000000420");
  BOOST_TEST(*sandbox::run::capability_mask({"CAP_CHECKPOINT_RESTORE"}) == "0000010000000000");
  BOOST_TEST(!sandbox::run::capability_mask({"CAP_CHOWN", "ALL"}));
}

BOOST_AUTO_TEST_SUITE_END()

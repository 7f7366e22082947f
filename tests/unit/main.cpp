#define BOOST_TEST_MODULE docker_sandbox_unit
#include <boost/test/unit_test.hpp>

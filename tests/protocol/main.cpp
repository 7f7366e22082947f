#define BOOST_TEST_MODULE docker_sandbox_protocol
#include <boost/test/unit_test.hpp>

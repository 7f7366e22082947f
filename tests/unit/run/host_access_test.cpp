// -p, --device and --gpus as docker spells them; ports default to loopback, and what cannot be
// honoured (ranges, a file as a device) is refused.

#include "run/host_access.h"
#include "util/error.h"

#include <boost/test/unit_test.hpp>

using sandbox::UsageError;
using sandbox::run::parse_device;
using sandbox::run::parse_gpus;
using sandbox::run::parse_publish;

BOOST_AUTO_TEST_SUITE(host_access)

BOOST_AUTO_TEST_CASE(ports_are_published_on_loopback_unless_an_address_is_given)
{
  sandbox::run::PortPublish plain = parse_publish("8080:80");
  BOOST_TEST(plain.host_ip == "127.0.0.1");
  BOOST_TEST(plain.host_port == "8080");
  BOOST_TEST(plain.port_key() == "80/tcp");
  BOOST_TEST(parse_publish("80").host_port == "");
  BOOST_TEST(parse_publish("0.0.0.0:53:53/udp").host_ip == "0.0.0.0");
  BOOST_TEST(parse_publish("0.0.0.0:53:53/udp").port_key() == "53/udp");
  BOOST_TEST(parse_publish("127.0.0.2::80").host_port == "");
  BOOST_TEST(parse_publish("[::1]:8443:443").host_ip == "::1");
  BOOST_TEST(parse_publish("[0:0::1]:8443:443").host_ip == "::1"); // written back in its normal form
}

BOOST_AUTO_TEST_CASE(ports_refuse_ranges_and_nonsense)
{
  for (const char* bad : {"8000-8010:80", "80-81", "0", "65536", "x:80", "80/icmp", "host.example:80:80", "[::1]80", ":",
                          "127.1:8080:80", "0:8080:80", "abc:8080:80", "[::g]:80:80"}) {
    BOOST_CHECK_THROW(parse_publish(bad), UsageError);
  }
}

BOOST_AUTO_TEST_CASE(devices_must_be_device_nodes)
{
  sandbox::run::DeviceSpec same = parse_device("/dev/null");
  BOOST_TEST(same.container_path == "/dev/null");
  BOOST_TEST(same.permissions == "rwm");
  BOOST_TEST(parse_device("/dev/null:r").permissions == "r");
  sandbox::run::DeviceSpec moved = parse_device("/dev/null:/dev/x:rw");
  BOOST_TEST(moved.container_path == "/dev/x");
  BOOST_TEST(moved.permissions == "rw");
  for (const char* bad : {"/etc/passwd", "/dev/null:/dev/x:rwx", "dev/null", "/dev/null:relative:r", "/nonexistent",
                          "/dev/null:/workspace/d", "/dev/null:/dev/../workspace/d"}) {
    BOOST_CHECK_THROW(parse_device(bad), UsageError);
  }
}

BOOST_AUTO_TEST_CASE(gpus_all_a_count_or_ids)
{
  BOOST_TEST(parse_gpus("all").count == -1);
  BOOST_TEST(parse_gpus("2").count == 2);
  BOOST_TEST(parse_gpus("count=3").count == 3);
  sandbox::run::GpuRequest ids = parse_gpus("\"device=0,GPU-abc\"");
  BOOST_TEST(ids.count == 0);
  BOOST_TEST(ids.device_ids == std::vector<std::string>({"0", "GPU-abc"}));
  for (const char* bad : {"", "0", "-1", "device=", "device=0,,1", "some"}) {
    BOOST_CHECK_THROW(parse_gpus(bad), UsageError);
  }
}

BOOST_AUTO_TEST_SUITE_END()

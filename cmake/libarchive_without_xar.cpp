// Linked into a static build only (SANDBOX_STATIC). libarchive's pax writer pulls in
// archive_write_set_format.o, the choose-a-format-by-code table, which names every format's writer;
// xar's alone needs libxml2, and libxml2.a needs ICU's 30 MB of data. We never write xar, so this
// definition stands in for libarchive's: the linker then takes neither its xar writer nor libxml2.

#include <archive.h>

#include <cerrno>

extern "C" int archive_write_set_format_xar(struct archive* a)
{
  archive_set_error(a, ENOTSUP, "xar is not built into docker-sandbox");
  return ARCHIVE_FATAL;
}

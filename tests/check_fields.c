#include "config.h"
#include "check_util.h"
static Suite *make_suite(void) { Suite *s = suite_create("fields"); return s; }
CHECK_MAIN(make_suite)

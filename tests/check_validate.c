#include "config.h"
#include "check_util.h"
static Suite *make_suite(void) { Suite *s = suite_create("validate"); return s; }
CHECK_MAIN(make_suite)

/* text.h: UTF-8 checks, trimming and the sanitiser for untrusted strings. */
#ifndef CARDORDER_TEXT_H
#define CARDORDER_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). */
bool text_utf8_valid(const char *s, size_t len);

/* True when s holds a control character (C0, DEL, C1) or a bidi override;
 * such characters are refused in order fields. */
bool text_has_controls(const char *s);

/* Returns an owned copy of s safe to print on a terminal: control
 * characters become \xNN or \u{NNNN}, invalid UTF-8 becomes U+FFFD, bidi
 * controls become \u{NNNN}. NULL only when memory runs out. */
char *text_sanitize(const char *s);

/* Copies s without leading and trailing ASCII blanks; owned result. */
char *text_trim_dup(const char *s, size_t len);
/* Text that a spreadsheet would run as a formula (it starts with =, +, -,
 * @, tab or carriage return): CSV files neutralise it with a leading '. */
bool text_is_formula(const char *s);
/* True when s, after the apostrophes it starts with, runs as a formula: a
 * CSV writer adds one ' to such a cell, and a CSV reader takes one off. */
bool text_formula_after_quotes(const char *s);

/* Lower-cases s and strips accents (NFKD, marks removed, case folded) for
 * "accents ignored" matching; owned result, NULL on invalid UTF-8. */
char *text_fold(const char *s);

/* s cut or padded with spaces to width characters (code points: a column
 * of plain text output), into buf (cap bytes); returns buf. */
const char *text_pad(const char *s, size_t width, char *buf, size_t cap);

/* Case-insensitive ASCII comparison of two NUL-terminated strings. */
bool text_ieq(const char *a, const char *b);

#endif

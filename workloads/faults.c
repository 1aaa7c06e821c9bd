#include "faults.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness/options.h"

int zc_faults_from_env(struct zc_faults *f, char *err, size_t err_len)
{
	*f = (struct zc_faults){0};
	const char *env = getenv(ZC_FAULTS_ENV);
	if (!env || !*env)
		return 0;
	char list[512];
	if (snprintf(list, sizeof list, "%s", env) >= (int)sizeof list) {
		snprintf(err, err_len, "%s is too long", ZC_FAULTS_ENV);
		return -1;
	}
	char *save = NULL;
	for (char *item = strtok_r(list, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		if (!eq) {
			snprintf(err, err_len, "%s: '%s' is not KEY=VALUE", ZC_FAULTS_ENV, item);
			return -1;
		}
		*eq = 0;
		const char *key = item, *val = eq + 1, *why = NULL;
		uint64_t v = 0;
		int rc;
		uint64_t *to;
		if (strcmp(key, "signal-storm") == 0 || strcmp(key, "peer-delay") == 0) {
			rc = zc_parse_duration(val, &v, &why);
			to = key[0] == 's' ? &f->signal_storm_ns : &f->peer_delay_ns;
		} else if (strcmp(key, "peer-reset") == 0 || strcmp(key, "peer-stop") == 0 ||
			   strcmp(key, "sockbuf") == 0 || strcmp(key, "subject-stop") == 0) {
			rc = zc_parse_size(val, &v, &why);
			to = key[1] == 'u'   ? &f->subject_stop
			     : key[0] == 's' ? &f->sockbuf
			     : key[5] == 'r' ? &f->peer_reset
					     : &f->peer_stop;
		} else if (strcmp(key, "tls-corrupt") == 0 || strcmp(key, "tls-wrong-key") == 0) {
			rc = zc_parse_size(val, &v, &why);
			to = key[4] == 'c' ? &f->tls_corrupt : &f->tls_wrong_key;
		} else {
			snprintf(err, err_len,
				 "%s: unknown fault '%s' (peer-reset, peer-stop, sockbuf, subject-stop, signal-storm, "
				 "tls-corrupt, tls-wrong-key, peer-delay)",
				 ZC_FAULTS_ENV, key);
			return -1;
		}
		if (rc != 0 || v == 0 || (to == &f->sockbuf && v > (1u << 30))) {
			snprintf(err, err_len, "%s: %s='%s': %s", ZC_FAULTS_ENV, key, val,
				 why ? why : "must be more than 0 (sockbuf: at most 1G)");
			return -1;
		}
		*to = v;
	}
	return 0;
}

int zc_faults_any(const struct zc_faults *f)
{
	return f && (f->peer_reset || f->peer_stop || f->sockbuf || f->subject_stop || f->signal_storm_ns ||
		     f->tls_corrupt || f->tls_wrong_key || f->peer_delay_ns);
}

void zc_fault_note(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = snprintf(line, sizeof line, "zcbench: test fault: ");
	vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	size_t len = strlen(line);
	if (len + 1 < sizeof line) {
		line[len++] = '\n';
		line[len] = 0;
	}
	/* One write: lines from the peer, the subject and the parent do not mix. */
	ssize_t w = write(2, line, len);
	(void)w;
}

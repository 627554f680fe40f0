/*
 * http_daemon.c — starting and stopping the libmicrohttpd daemon: the
 * listening address, TLS, the thread pool, signals (SIGINT/SIGTERM stop,
 * SIGHUP reloads the rules) and the checkpointer thread.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "audit.h"
#include "auth.h"
#include "http_priv.h"

#define CONNECTION_TIMEOUT 30
/*
 * libmicrohttpd's memory per connection: the headers of one request (1,000
 * cookies and a 56 KiB header line pass; 64 KiB refuses the cookies).  It
 * zeroes half of it after every request: 128 KiB cost the case view 6% of
 * its throughput against 96 KiB, with the same limits (1,500 cookies fail
 * with either).
 */
#define CONNECTION_MEMORY (96 * 1024)

static char *
read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long len;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 && len < (1 << 20) &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) != NULL) {
		if (fread(buf, 1, (size_t)len, fp) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else {
			buf[len] = '\0';
		}
	}
	fclose(fp);
	return buf;
}

/*
 * The background thread: every CHECKPOINT_EVERY ms it indexes newly imported
 * evidence paths for search, then checkpoints the WAL — both off the
 * request path.
 */
#define CHECKPOINT_EVERY 500

struct checkpointer {
	const char *db_path;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
};

/* Evidence paths into the search index, a batch per transaction, a few batches per tick. */
#define INDEX_BATCH 20000
#define INDEX_BATCHES 10

#define MERGE_PAGES 200
#define MERGE_ROUNDS 20

static void
index_evidence(struct store *s)
{
	int64_t n = INDEX_BATCH;
	int worked = 1;

	for (int i = 0; i < INDEX_BATCHES && n == INDEX_BATCH; i++)
		if (store_search_catch_up(s, INDEX_BATCH, &n) != AIM_OK)
			break;
	/* then merge index segments, a little per transaction */
	for (int i = 0; i < MERGE_ROUNDS && worked; i++)
		if (store_search_merge(s, MERGE_PAGES, &worked) != AIM_OK)
			break;
}

static void *
checkpoint_loop(void *arg)
{
	struct checkpointer *c = arg;
	struct aim_fault f = { 0 };
	struct store *s = store_open(c->db_path, &f);
	struct timespec ts;

	if (s == NULL) {
		fprintf(stderr, "aimcase: checkpointer: %s\n", f.msg);
		return NULL;
	}
	pthread_mutex_lock(&c->mu);
	while (!c->stop) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += CHECKPOINT_EVERY * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&c->cv, &c->mu, &ts);
		pthread_mutex_unlock(&c->mu);
		index_evidence(s);
		(void)store_checkpoint(s);
		pthread_mutex_lock(&c->mu);
	}
	pthread_mutex_unlock(&c->mu);
	(void)store_checkpoint(s);
	store_close(s);
	return NULL;
}

int
srv_run(const struct srv_config *cfg)
{
	struct checkpointer ckpt = { .db_path = cfg->db_path, .mu = PTHREAD_MUTEX_INITIALIZER,
		.cv = PTHREAD_COND_INITIALIZER };
	pthread_t ckpt_thread;
	int ckpt_started = 0;
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
	    MHD_ALLOW_SUSPEND_RESUME;
	char *cert = NULL, *key = NULL;
	struct MHD_OptionItem tls[3] = { [2] = { MHD_OPTION_END, 0, NULL } };
	const union MHD_DaemonInfo *di;
	struct MHD_Daemon *d;
	sigset_t sigs;
	int sig = 0, rc = -1;
	struct audit_writer *auditor;
	struct aim_fault fault = { 0 };

	if ((auditor = audit_start(cfg->db_path, &fault)) == NULL) {
		fprintf(stderr, "aimcase: serve: %s\n", fault.msg);
		return -1;
	}
	if (http_init(auditor) != 0 || auth_logon_init() != 0)
		goto out;
	if (inet_pton(AF_INET, cfg->bind, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)cfg->port);
	} else if (inet_pton(AF_INET6, cfg->bind, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)cfg->port);
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, "aimcase: serve: --bind %s: not an IP address\n", cfg->bind);
		goto out;
	}
	if (cfg->tls_cert != NULL) {
		if ((cert = read_file(cfg->tls_cert)) == NULL ||
		    (key = read_file(cfg->tls_key)) == NULL) {
			fprintf(stderr, "aimcase: serve: cannot read %s: %s\n",
			    cert == NULL ? cfg->tls_cert : cfg->tls_key, strerror(errno));
			goto out;
		}
		flags |= MHD_USE_TLS;
	}
	/* Signals go to sigwait() below, never to a pool thread. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &sigs, NULL) != 0)
		goto out;
	signal(SIGPIPE, SIG_IGN);
	/* the certificate and key, or nothing: one option list either way */
	tls[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, cert };
	tls[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, key };
	if (cert == NULL)
		tls[0].option = MHD_OPTION_END;
	d = MHD_start_daemon(flags, 0, NULL, NULL, http_on_request, (void *)cfg,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
	    MHD_OPTION_NOTIFY_COMPLETED, http_on_completed, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
	    MHD_OPTION_STRICT_FOR_CLIENT, 1,
	    MHD_OPTION_UNESCAPE_CALLBACK, http_unescape, NULL,
	    MHD_OPTION_ARRAY, tls,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "aimcase: serve: cannot listen on %s port %u\n", cfg->bind,
		    cfg->port);
		goto out;
	}
	ckpt_started = pthread_create(&ckpt_thread, NULL, checkpoint_loop, &ckpt) == 0;
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	fprintf(stderr, "aimcase: listening on %s://%s%s%s:%u (%u threads)\n",
	    cert != NULL ? "https" : "http", ss.ss_family == AF_INET6 ? "[" : "", cfg->bind,
	    ss.ss_family == AF_INET6 ? "]" : "", di != NULL ? di->port : cfg->port, cfg->threads);
	for (;;) {
		if (sigwait(&sigs, &sig) != 0)
			continue;
		if (sig != SIGHUP)
			break;
		fprintf(stderr, "aimcase: SIGHUP received, reloading the rules\n");
		if (cfg->rules != NULL)
			(void)rules_live_reload(cfg->rules);
	}
	fprintf(stderr, "aimcase: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	http_drain();	/* no connection may be suspended when the daemon stops */
	MHD_stop_daemon(d);
	if (ckpt_started) {
		pthread_mutex_lock(&ckpt.mu);
		ckpt.stop = 1;
		pthread_cond_signal(&ckpt.cv);
		pthread_mutex_unlock(&ckpt.mu);
		pthread_join(ckpt_thread, NULL);
	}
	rc = 0;
out:
	audit_stop(auditor);	/* after the daemon: every request's entry is written */
	free(cert);
	free(key);
	return rc;
}

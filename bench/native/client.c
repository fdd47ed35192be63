/*
 * client: the bench's driver for every server (the reference server, the Python example and echo-server),
 * so that each is measured through the same few system calls. It speaks just enough of the protocol
 * (SPEC FRAME-3): a HELLO is the 8-byte header; a REPLACE adds name length, name, options 0, content.
 *
 *   client rtt SOCKET COUNT WARMUP        COUNT timed HELLO round trips on one open connection, after
 *                                         WARMUP untimed ones; prints "p10 p50 p90 p99 mean" in nanoseconds
 *   client hello-once SOCKET              connect, one HELLO, exit 0 (the floor of a CLI process)
 *   client replace SOCKET PREFIX CONNS SECONDS SIZE
 *                                         CONNS connections (one thread each) REPLACE target PREFIX<i> with
 *                                         SIZE bytes for SECONDS; every reply must be OK; prints
 *                                         "<replacements> <seconds> <replacements per second>"
 *   client idle SOCKET COUNT              opens COUNT connections, one HELLO on each, prints "ready", waits
 *                                         for a line on stdin, closes them all, prints "closed"
 *   client spawn-ready SOCKET CMD [ARG...] starts CMD (a server), polls connect() on SOCKET every 100 us and
 *                                         prints the nanoseconds from fork to the first accepted connection;
 *                                         then SIGTERM and waits for the server to exit 0
 *   client spawn-exit CMD [ARG...]        runs CMD (stdout/stderr to /dev/null) and prints the nanoseconds
 *                                         from fork to its exit; CMD must exit 0
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* SPEC FRAME-9: no reply is longer than 2048 bytes; one more byte makes truncation visible. */
#define REPLY_BUFFER 2049
#define HEADER 8
#define STATUS_OFFSET 2

static void fail(const char *what)
{
    perror(what);
    exit(1);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int connect_to(const char *path)
{
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof address.sun_path) {
        fprintf(stderr, "client: socket path too long\n");
        exit(2);
    }
    strcpy(address.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("socket");
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) fail("connect");
    return fd;
}

static void header(uint8_t *datagram, uint8_t opcode, uint32_t id)
{
    datagram[0] = 1;
    datagram[1] = opcode;
    datagram[2] = 0;
    datagram[3] = 0;
    datagram[4] = (uint8_t)(id >> 24);
    datagram[5] = (uint8_t)(id >> 16);
    datagram[6] = (uint8_t)(id >> 8);
    datagram[7] = (uint8_t)id;
}

/* One request, one reply; the reply must be complete. Returns its status byte (an echo returns the request's 3rd byte, 0). */
static int exchange(int fd, const uint8_t *request, size_t length, uint8_t *reply)
{
    if (send(fd, request, length, MSG_NOSIGNAL) != (ssize_t)length) fail("send");
    ssize_t n = recv(fd, reply, REPLY_BUFFER, MSG_TRUNC);
    if (n < 0) fail("recv");
    if (n < HEADER || n >= REPLY_BUFFER) {
        fprintf(stderr, "client: reply of %zd bytes\n", n);
        exit(1);
    }
    return reply[STATUS_OFFSET];
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t percentile(const uint64_t *sorted, long count, double q)
{
    long rank = (long)(q * (double)(count - 1) + 0.5);
    return sorted[rank];
}

static int rtt(const char *path, long count, long warmup)
{
    int fd = connect_to(path);
    uint8_t request[HEADER], reply[REPLY_BUFFER];
    uint64_t *samples = malloc((size_t)count * sizeof *samples);
    if (samples == NULL) fail("malloc");
    for (long i = 0; i < warmup + count; i++) {
        header(request, 1, (uint32_t)i);
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (exchange(fd, request, HEADER, reply) != 0) {
            fprintf(stderr, "client: HELLO status %d\n", reply[STATUS_OFFSET]);
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (i >= warmup) {
            samples[i - warmup] = (uint64_t)(b.tv_sec - a.tv_sec) * 1000000000u + (uint64_t)(b.tv_nsec - a.tv_nsec);
        }
    }
    close(fd);
    double sum = 0;
    for (long i = 0; i < count; i++) sum += (double)samples[i];
    qsort(samples, (size_t)count, sizeof *samples, compare);
    printf("%llu %llu %llu %llu %.0f\n", (unsigned long long)percentile(samples, count, 0.1),
           (unsigned long long)percentile(samples, count, 0.5), (unsigned long long)percentile(samples, count, 0.9),
           (unsigned long long)percentile(samples, count, 0.99), sum / (double)count);
    free(samples);
    return 0;
}

static int hello_once(const char *path)
{
    int fd = connect_to(path);
    uint8_t request[HEADER], reply[REPLY_BUFFER];
    header(request, 1, 1);
    int status = exchange(fd, request, HEADER, reply);
    close(fd);
    return status == 0 ? 0 : 1;
}

struct replace_job {
    const char *path;
    char target[256];
    size_t size;
    long done;
};

static atomic_int stop_replacing;

static void *replace_loop(void *arg)
{
    struct replace_job *job = arg;
    size_t name = strlen(job->target);
    size_t length = HEADER + 1 + name + 1 + job->size;
    uint8_t *request = malloc(length), reply[REPLY_BUFFER];
    if (request == NULL) fail("malloc");
    int fd = connect_to(job->path);
    while (!atomic_load(&stop_replacing)) {
        header(request, 2, (uint32_t)job->done);
        request[HEADER] = (uint8_t)name;
        memcpy(request + HEADER + 1, job->target, name);
        request[HEADER + 1 + name] = 0; /* options: no expected version */
        /* Distinct content each time, so every REPLACE installs a new version. */
        memset(request + HEADER + 2 + name, 'a' + (int)(job->done % 26), job->size);
        int status = exchange(fd, request, length, reply);
        if (status != 0) {
            fprintf(stderr, "client: REPLACE %s status %d\n", job->target, status);
            exit(1);
        }
        job->done++;
    }
    close(fd);
    free(request);
    return NULL;
}

static int replace(const char *path, const char *prefix, int connections, double seconds, size_t size)
{
    pthread_t *threads = calloc((size_t)connections, sizeof *threads);
    struct replace_job *jobs = calloc((size_t)connections, sizeof *jobs);
    if (threads == NULL || jobs == NULL) fail("calloc");
    double start = now();
    for (int i = 0; i < connections; i++) {
        jobs[i].path = path;
        jobs[i].size = size;
        snprintf(jobs[i].target, sizeof jobs[i].target, "%s%d", prefix, i);
        if (pthread_create(&threads[i], NULL, replace_loop, &jobs[i]) != 0) fail("pthread_create");
    }
    struct timespec pause = { .tv_sec = (time_t)seconds, .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9) };
    nanosleep(&pause, NULL);
    atomic_store(&stop_replacing, 1);
    long total = 0;
    for (int i = 0; i < connections; i++) {
        pthread_join(threads[i], NULL);
        total += jobs[i].done;
    }
    double elapsed = now() - start;
    printf("%ld %.3f %.1f\n", total, elapsed, (double)total / elapsed);
    return 0;
}

static int idle(const char *path, long count)
{
    int *fds = calloc((size_t)count, sizeof *fds);
    uint8_t request[HEADER], reply[REPLY_BUFFER];
    if (fds == NULL) fail("calloc");
    for (long i = 0; i < count; i++) {
        fds[i] = connect_to(path);
        header(request, 1, (uint32_t)i);
        if (exchange(fds[i], request, HEADER, reply) != 0) {
            fprintf(stderr, "client: HELLO on connection %ld status %d\n", i, reply[STATUS_OFFSET]);
            return 1;
        }
    }
    printf("ready\n");
    fflush(stdout);
    char line[16];
    if (fgets(line, sizeof line, stdin) == NULL) {
        /* stdin closed: close the connections all the same */
    }
    for (long i = 0; i < count; i++) close(fds[i]);
    printf("closed\n");
    fflush(stdout);
    return 0;
}

static uint64_t elapsed_ns(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (uint64_t)(b.tv_sec - a->tv_sec) * 1000000000u + (uint64_t)(b.tv_nsec - a->tv_nsec);
}

static pid_t spawn(char **command)
{
    pid_t child = fork();
    if (child < 0) fail("fork");
    if (child == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
        }
        execvp(command[0], command);
        _exit(127);
    }
    return child;
}

static int wait_exit(pid_t child)
{
    int status;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) fail("waitpid");
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int spawn_ready(const char *path, char **command)
{
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof address.sun_path) {
        fprintf(stderr, "client: socket path too long\n");
        return 2;
    }
    strcpy(address.sun_path, path);
    struct timespec start, pause = { .tv_sec = 0, .tv_nsec = 100000 };
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t child = spawn(command);
    uint64_t ready = 0;
    while (ready == 0) {
        int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0) fail("socket");
        if (connect(fd, (struct sockaddr *)&address, sizeof address) == 0) {
            ready = elapsed_ns(&start);
        }
        close(fd);
        if (ready == 0) {
            if (waitpid(child, NULL, WNOHANG) == child) {
                fprintf(stderr, "client: %s exited before it accepted a connection\n", command[0]);
                return 1;
            }
            if (elapsed_ns(&start) > 15000000000u) {
                kill(child, SIGKILL);
                fprintf(stderr, "client: %s not ready within 15 s\n", command[0]);
                return 1;
            }
            nanosleep(&pause, NULL);
        }
    }
    kill(child, SIGTERM);
    int status = wait_exit(child);
    if (status != 0) {
        fprintf(stderr, "client: %s exited %d on SIGTERM\n", command[0], status);
        return 1;
    }
    printf("%llu\n", (unsigned long long)ready);
    return 0;
}

static int spawn_exit(char **command)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int status = wait_exit(spawn(command));
    uint64_t took = elapsed_ns(&start);
    if (status != 0) {
        fprintf(stderr, "client: %s exited %d\n", command[0], status);
        return 1;
    }
    printf("%llu\n", (unsigned long long)took);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "spawn-ready") == 0) return spawn_ready(argv[2], argv + 3);
    if (argc >= 3 && strcmp(argv[1], "spawn-exit") == 0) return spawn_exit(argv + 2);
    if (argc == 5 && strcmp(argv[1], "rtt") == 0) return rtt(argv[2], atol(argv[3]), atol(argv[4]));
    if (argc == 3 && strcmp(argv[1], "hello-once") == 0) return hello_once(argv[2]);
    if (argc == 7 && strcmp(argv[1], "replace") == 0)
        return replace(argv[2], argv[3], atoi(argv[4]), atof(argv[5]), (size_t)atol(argv[6]));
    if (argc == 4 && strcmp(argv[1], "idle") == 0) return idle(argv[2], atol(argv[3]));
    fprintf(stderr, "usage: client rtt SOCKET COUNT WARMUP | hello-once SOCKET | replace SOCKET PREFIX CONNS SECONDS SIZE | idle SOCKET COUNT"
                    " | spawn-ready SOCKET CMD [ARG...] | spawn-exit CMD [ARG...]\n");
    return 2;
}

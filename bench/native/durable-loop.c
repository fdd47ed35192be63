/*
 * durable-loop: the physical-limit baseline for a durable file replacement (SPEC DUR-1), with no server,
 * no socket and no checks around it. Each of THREADS threads owns one file DIR/t<i>.conf and replaces
 * it in a loop, exactly as DUR-1 prescribes: temporary file in the same directory (O_CREAT|O_EXCL|
 * O_NOFOLLOW, 0600), write SIZE bytes, fchown + fchmod, fsync, rename over the file, fsync the
 * directory. Prints one line: "<replacements> <seconds> <replacements per second>".
 *
 *   durable-loop DIR THREADS SECONDS SIZE
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *directory;
static size_t size;
static atomic_int stop;
static atomic_long total;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void fail(const char *what)
{
    perror(what);
    exit(1);
}

static void *replace_loop(void *arg)
{
    long index = (long)arg;
    char target[4096], temp[4096];
    snprintf(target, sizeof target, "%s/t%ld.conf", directory, index);
    char *content = malloc(size);
    if (content == NULL) {
        fail("malloc");
    }
    long done = 0;
    while (!atomic_load(&stop)) {
        memset(content, 'a' + (int)(done % 26), size);
        snprintf(temp, sizeof temp, "%s/.t%ld.conf.%ld.tmp", directory, index, done);
        int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) fail("open temp");
        if (write(fd, content, size) != (ssize_t)size) fail("write");
        if (fchown(fd, getuid(), getgid()) != 0) fail("fchown");
        if (fchmod(fd, 0640) != 0) fail("fchmod");
        if (fsync(fd) != 0) fail("fsync");
        if (close(fd) != 0) fail("close");
        if (rename(temp, target) != 0) fail("rename");
        int dir = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0) fail("open directory");
        if (fsync(dir) != 0) fail("fsync directory");
        close(dir);
        done++;
    }
    atomic_fetch_add(&total, done);
    free(content);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: durable-loop DIR THREADS SECONDS SIZE\n");
        return 2;
    }
    directory = argv[1];
    int threads = atoi(argv[2]);
    double seconds = atof(argv[3]);
    size = (size_t)atol(argv[4]);
    if (threads < 1 || threads > 1024 || seconds <= 0 || size < 1) {
        fprintf(stderr, "durable-loop: THREADS 1..1024, SECONDS > 0, SIZE >= 1\n");
        return 2;
    }
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    double start = now();
    for (long i = 0; i < threads; i++) {
        if (pthread_create(&ids[i], NULL, replace_loop, (void *)i) != 0) fail("pthread_create");
    }
    struct timespec pause = { .tv_sec = (time_t)seconds, .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9) };
    nanosleep(&pause, NULL);
    atomic_store(&stop, 1);
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
    }
    double elapsed = now() - start;
    long count = atomic_load(&total);
    printf("%ld %.3f %.1f\n", count, elapsed, (double)count / elapsed);
    free(ids);
    return 0;
}

/*
 * echo-server: the physical-limit baseline for a request/reply server on AF_UNIX SOCK_SEQPACKET.
 * One thread per connection, blocking recv(MSG_TRUNC) into a 64 KiB + 1 buffer and send of the same
 * datagram back: the least a server can do per request (two system calls), with none of the checks
 * the protocol asks for. Ready when it accepts; SIGTERM/SIGINT remove the socket file and exit 0.
 *
 *   echo-server SOCKET_PATH
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* The protocol's default maximum request size plus one byte, as the reference server receives. */
#define RECEIVE_BUFFER (65536 + 1)

static const char *socket_path;

static void on_signal(int sig)
{
    (void)sig;
    unlink(socket_path);
    _exit(0);
}

static void *serve(void *arg)
{
    int fd = (int)(long)arg;
    char *buffer = malloc(RECEIVE_BUFFER);
    if (buffer != NULL) {
        for (;;) {
            ssize_t n = recv(fd, buffer, RECEIVE_BUFFER, MSG_TRUNC);
            if (n <= 0) {
                break; /* end of stream (or a zero-length datagram, which SOCK_SEQPACKET cannot tell apart) */
            }
            size_t length = (size_t)n < RECEIVE_BUFFER ? (size_t)n : RECEIVE_BUFFER;
            if (send(fd, buffer, length, MSG_NOSIGNAL) < 0) {
                break;
            }
        }
        free(buffer);
    }
    close(fd);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: echo-server SOCKET_PATH\n");
        return 2;
    }
    socket_path = argv[1];
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    if (strlen(socket_path) >= sizeof address.sun_path) {
        fprintf(stderr, "echo-server: socket path too long\n");
        return 2;
    }
    strcpy(address.sun_path, socket_path);

    int listener = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (listener < 0) {
        perror("echo-server: socket");
        return 1;
    }
    unlink(socket_path);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || chmod(socket_path, 0666) < 0
        || listen(listener, 128) < 0) {
        perror("echo-server: bind/listen");
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) {
                continue;
            }
            perror("echo-server: accept");
            return 1;
        }
        pthread_t thread;
        if (pthread_create(&thread, &attributes, serve, (void *)(long)fd) != 0) {
            close(fd);
        }
    }
}

#pragma once
#include <sys/inotify.h>

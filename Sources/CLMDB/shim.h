#ifndef IRONLOG_CLMDB_SHIM_H
#define IRONLOG_CLMDB_SHIM_H
#include <lmdb.h>
#endif

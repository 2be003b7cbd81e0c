#ifndef CCRYPT_SHIM_H
#define CCRYPT_SHIM_H
// libxcrypt (Debian's libcrypt-dev): crypt_rn, crypt_gensalt_rn, crypt_checksalt and struct crypt_data.
#include <crypt.h>
// getrandom(2) for the salt; Swift's Glibc module does not export <sys/random.h>.
#include <sys/random.h>
#endif

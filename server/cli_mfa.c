/*
 * cli_mfa.c — `aimcase user mfa NAME [--remove]`: enroll (or remove) a
 * user's second factor.  The secret is printed once, as base32 and as an
 * otpauth:// URI for an authenticator app; only the database keeps it.
 */
#include <string.h>

#include <sodium.h>

#include "cli.h"
#include "totp.h"

int
cli_user_mfa(int argc, char **argv, const char *db)
{
	unsigned char secret[TOTP_SECRET_LEN];
	char b32[64], detail[32];
	int remove = argc == 2 && strcmp(argv[1], "--remove") == 0;
	struct store *s;
	enum aim_err e;
	int rc;

	if ((argc != 1 && !remove) || argv[0][0] == '-') {
		fprintf(stderr, "usage: aimcase user mfa NAME [--remove]\n");
		return CLI_USAGE;
	}
	if (totp_init() != 0) {
		fprintf(stderr, "aimcase: user mfa: cannot start liboath\n");
		return CLI_FAILED;
	}
	if ((s = cli_store_open(db)) == NULL)
		return CLI_FAILED;
	totp_new_secret(secret);
	e = store_user_set_totp(s, argv[0], secret, remove ? 0 : sizeof(secret));
	rc = e == AIM_OK ? CLI_OK : e == AIM_ENOTFOUND ? CLI_REJECTED : CLI_FAILED;
	snprintf(detail, sizeof(detail), "%s", remove ? "removed" : "enrolled");
	cli_audit(s, NULL, "cli user mfa", argv[0], NULL, detail, rc);
	store_close(s);
	if (e == AIM_ENOTFOUND)
		fprintf(stderr, "aimcase: user mfa: no user %s\n", argv[0]);
	else if (e != AIM_OK)
		fprintf(stderr, "aimcase: user mfa: %s\n", aim_strerror(e));
	else if (remove)
		fprintf(stderr, "aimcase: the second factor of %s is removed\n", argv[0]);
	else if (totp_base32(secret, sizeof(secret), b32, sizeof(b32)) != 0)
		rc = CLI_FAILED;
	else
		printf("secret: %s\nuri: otpauth://totp/aimcase:%s?secret=%s&issuer=aimcase"
		    "&algorithm=SHA1&digits=6&period=30\n", b32, argv[0], b32);
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

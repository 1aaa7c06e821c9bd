/* The one table of strategies. Add a strategy here and nowhere else. */
#include <string.h>

#include "strategy.h"

extern const struct zc_strategy zc_strategy_readwrite;
extern const struct zc_strategy zc_strategy_pooled;
extern const struct zc_strategy zc_strategy_sendfile;
extern const struct zc_strategy zc_strategy_splice;

const struct zc_strategy *const zc_strategies[] = {
	&zc_strategy_readwrite,
	&zc_strategy_pooled,
	&zc_strategy_sendfile,
	&zc_strategy_splice,
};
const size_t zc_strategy_count = sizeof zc_strategies / sizeof zc_strategies[0];

const struct zc_strategy *zc_strategy_find(const char *name)
{
	for (size_t i = 0; i < zc_strategy_count; i++)
		if (strcmp(zc_strategies[i]->name, name) == 0)
			return zc_strategies[i];
	return NULL;
}

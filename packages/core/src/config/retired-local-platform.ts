import { z } from 'zod';

/**
 * The shell adapter's platform was called `local` before it became `shell`, the adapter's name. A
 * config still saying `local` is refused with the fix, rather than matching nobody without a word.
 */
const LOCAL_PRINCIPAL = /^local:/i;

/** A principal pattern in `auth.roles`: `slack:U123`, `shell:*`, `email:*@example.com`, `*`. */
export const principalPatternSchema = z.string().superRefine((pattern, ctx) => {
  if (LOCAL_PRINCIPAL.test(pattern)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${pattern}": the shell adapter's users are now shell:<name>; write "shell:${pattern.slice('local:'.length)}"`,
    });
  }
});

/** Which conversation a notification route posts to, per adapter: `{ slack: "#ops", shell: "ops" }`. */
export const notificationRouteSchema = z
  .record(z.string(), z.union([z.string(), z.array(z.string())]))
  .superRefine((route, ctx) => {
    if (Object.hasOwn(route, 'local')) {
      ctx.addIssue({
        code: 'custom',
        path: ['local'],
        message: 'routes for the shell adapter are keyed "shell" now; rename the "local" key',
      });
    }
  });

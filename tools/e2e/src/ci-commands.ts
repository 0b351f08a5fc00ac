// The nx command lines the GitHub workflows (.github/workflows/*.yml) run, each exactly as its
// step writes it. workflows.spec.ts runs every one of them as its workflow does, and fails when a
// workflow runs an nx command that is not listed here: CI runs no nx command a test never ran.
export const CI_COMMANDS = {
  /** ci.yml: every check of the projects a change affects, between the SHAs of nx-set-shas. */
  affectedChecks: 'npx nx affected -t lint typecheck test build package',
  /** ci.yml: the end-to-end suite, when the apps or libraries it starts are affected. */
  affectedE2e: 'npx nx affected -t e2e',
  /** ci.yml: both workers' zips and the manifest naming them, for the artifact. */
  lambdaManifest: 'npx nx run tools:lambda-manifest',
  /** deploy.yml: the stack, every option from a DEPLOY_* variable. */
  deploy: 'npx nx deploy infra',
} as const;

export type CiCommand = (typeof CI_COMMANDS)[keyof typeof CI_COMMANDS];

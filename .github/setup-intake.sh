#!/usr/bin/env bash
# One-time set-up of the intake workflow (.github/workflows/intake.yml) on a GitHub repository,
# private or public. Run it once as a repository admin with the GitHub CLI logged in:
#     bash .github/setup-intake.sh [owner/repo]
# It creates the `problem-report` label (the issue form applies it; GitHub drops a label that
# does not exist, and the workflow then never runs) and says which settings to turn on.
set -euo pipefail
repo="${1:-$(gh repo view --json nameWithOwner --jq .nameWithOwner)}"
gh label create problem-report --repo "$repo" --force --color D93F0B \
  --description "问题上报表单：intake 工作流把它登记为 ISS 记录"
echo "label problem-report is ready on $repo"
cat <<TEXT

Still to do by hand in $repo (GitHub offers no API call for all of them):
1. A token that lets the intake pull request run its checks. Pull requests opened with the
   built-in GITHUB_TOKEN start no workflow, so the pull request would never get its ci check.
   Either
   a. create a GitHub App (Settings > Developer settings > GitHub Apps) with the repository
      permissions Contents: read and write, Pull requests: read and write; install it on
      $repo; set the variable INTAKE_APP_CLIENT_ID (its client id) and the secret
      INTAKE_APP_PRIVATE_KEY (a private key it generated), or
   b. create a fine-grained personal access token for $repo only, with Contents and Pull
      requests read and write, and store it as the secret INTAKE_TOKEN.
2. Settings > Actions > General > Workflow permissions: keep "Read repository contents and
   packages permissions". "Allow GitHub Actions to create and approve pull requests" is only
   needed when neither token of step 1 is set (and that pull request then runs no checks).
3. Settings > Actions > General > "Fork pull request workflows from outside collaborators":
   "Require approval for all outside collaborators".
4. Give each reporter's GitHub login to their entry in records/people.yml (github: login):
   the reporter of a form is the account that opened it.
TEXT

/**
 * `neurotriage models install --data DIR --task ich|infarct FOLDER`, `models activate --data DIR
 * --task T --version V`, `models rollback --data DIR --task T`, `models list --data DIR`: the
 * model versions of a service's data folder (service/model-admin.ts). A running `serve` uses
 * the active version for each new job; with none active, the package's shipped model.
 */
import type { Command } from 'commander';
import {
  activateModel,
  installModel,
  listModels,
  parseTask,
  rollbackModel,
} from '../service/model-admin.js';
import { action } from './run-cli.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

export function registerModelsCommands(program: Command): void {
  const models = program
    .command('models')
    .description('model versions of the triage service: install, activate, roll back, list');
  models
    .command('install')
    .description('copy a model folder (model.onnx + card.json) in as the version its card names')
    .requiredOption('--data <dir>', "the service's data folder")
    .requiredOption('--task <task>', 'ich or infarct')
    .argument('<folder>', 'model folder')
    .action(
      action(async (folder: string, opts: { data: string; task: string }) => {
        const task = parseTask(opts.task);
        const version = await installModel({ dataDir: opts.data, task, folder });
        say(`installed ${task} ${version} (not active: neurotriage models activate)`);
      }),
    );
  models
    .command('activate')
    .description('make an installed version the one new jobs of the task use')
    .requiredOption('--data <dir>', "the service's data folder")
    .requiredOption('--task <task>', 'ich or infarct')
    .requiredOption('--version <version>', 'an installed version')
    .action(
      action(async (opts: { data: string; task: string; version: string }) => {
        const task = parseTask(opts.task);
        activateModel({ dataDir: opts.data, task, version: opts.version });
        say(`${task}: ${opts.version} is active for new jobs`);
      }),
    );
  models
    .command('rollback')
    .description('back to the version of the task that was active before the current one')
    .requiredOption('--data <dir>', "the service's data folder")
    .requiredOption('--task <task>', 'ich or infarct')
    .action(
      action(async (opts: { data: string; task: string }) => {
        const task = parseTask(opts.task);
        const version = rollbackModel({ dataDir: opts.data, task });
        say(`${task}: rolled back; ${version} is active for new jobs`);
      }),
    );
  models
    .command('list')
    .description('installed versions, the active one per task, and its history')
    .requiredOption('--data <dir>', "the service's data folder")
    .action(
      action(async (opts: { data: string }) => {
        for (const m of listModels({ dataDir: opts.data })) {
          say(
            `${m.task}: active ${m.active ?? '(shipped model)'}; installed ${m.installed.join(', ') || 'none'}`,
          );
          for (const h of m.history) say(`  ${h.at} ${h.action} ${h.version} by ${h.by}`);
        }
      }),
    );
}

import express, { Router } from 'express';
import { ApiError } from '../../contract/errors.ts';
import { MAX_SCENARIO_BYTES } from '../../scenario/load.ts';
import type { ScenarioStore } from '../../scenario/store.ts';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

export function scenarioRoutes(scenarios: ScenarioStore): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    res.json(scenarios.list());
  });

  router.get('/:id', (req, res) => {
    res.json(scenarios.require(req.params.id).scenario);
  });

  router.post(
    '/',
    express.json({ limit: MAX_SCENARIO_BYTES }),
    express.text({ type: YAML_TYPES, limit: MAX_SCENARIO_BYTES }),
    (req, res) => {
      const type = req.get('content-type') ?? '';
      let scenario;
      if (req.is('application/json')) scenario = scenarios.upload({ object: req.body });
      else if (YAML_TYPES.some((t) => req.is(t))) scenario = scenarios.upload({ text: String(req.body ?? ''), format: 'yaml' });
      else throw new ApiError('unsupported_media_type', `send the scenario as application/json or application/yaml, not ${type || 'no content type'}`);
      res.status(201).location(`/api/scenarios/${scenario.id}`).json({ id: scenario.id });
    },
  );

  return router;
}

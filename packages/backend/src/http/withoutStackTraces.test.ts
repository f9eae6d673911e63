import express from 'express';
import request from 'supertest';
import { withoutStackTraces } from './withoutStackTraces';

describe('withoutStackTraces', () => {
  const app = express();
  app.use(withoutStackTraces());
  app.get('/fails', (_req, res) => {
    res.status(404).json({
      error: {
        name: 'NotFoundError',
        message: 'nope',
        stack: 'NotFoundError: nope\n    at /srv/x.js:1:1',
      },
      request: { method: 'GET', url: '/fails' },
      response: { statusCode: 404 },
    });
  });
  app.get('/ok', (_req, res) => {
    res.json({
      error: { stack: 'a field of a successful answer is left alone' },
    });
  });

  it('drops the stack of an error answer and keeps everything else', async () => {
    const res = await request(app).get('/fails');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { name: 'NotFoundError', message: 'nope' },
      request: { method: 'GET', url: '/fails' },
      response: { statusCode: 404 },
    });
  });

  it('leaves successful answers alone', async () => {
    const res = await request(app).get('/ok');
    expect(res.body.error.stack).toBe(
      'a field of a successful answer is left alone',
    );
  });
});

import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { ApiError } from "./api-error";

// The client keeps the `fetch` it finds when it is created, so the fake goes in before the import.
type Answer = (request: Request) => Promise<Response>;
let answer: Answer = async () => Response.json({});
const sent: Request[] = [];
globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(input, init);
  sent.push(request);
  return answer(request);
};
const { cancelRequest, deleteRequest, getRequest, rescheduleRequest } = await import("./api");

const ID = "6f1c0a4e-0000-4000-8000-000000000001";
const TOKEN = "t".repeat(43);

describe("the gateway client", () => {
  beforeEach(() => {
    sent.length = 0;
    answer = async () => Response.json({ id: ID, status: "pending" });
  });

  test("reads a request by its id, asking for JSON and bypassing caches", async () => {
    const request = await getRequest(ID, TOKEN);
    assert.equal(request.id, ID);
    const [call] = sent;
    assert.equal(call?.method, "GET");
    assert.equal(call?.url, `http://localhost:8000/v1/requests/${ID}`);
    assert.equal(call?.headers.get("accept"), "application/json");
    assert.equal(call?.cache, "no-store");
    assert.equal(call?.headers.get("authorization"), `Bearer ${TOKEN}`);
  });

  test("deletes with the capability, and a 404 is an ApiError", async () => {
    answer = async () => new Response(null, { status: 204 });
    await deleteRequest(ID, TOKEN);
    assert.equal(sent[0]?.method, "DELETE");
    assert.equal(sent[0]?.headers.get("authorization"), `Bearer ${TOKEN}`);
    const error = { code: "request_not_found", message: "No such request.", request_id: "r" };
    answer = async () => Response.json({ error }, { status: 404 });
    await assert.rejects(deleteRequest(ID, TOKEN), { name: "ApiError", status: 404 });
  });

  test("escapes the id into the path", async () => {
    await getRequest("a/../b", TOKEN);
    assert.equal(sent[0]?.url, "http://localhost:8000/v1/requests/a%2F..%2Fb");
  });

  test("posts JSON bodies, and nothing where the operation takes none", async () => {
    await rescheduleRequest(ID, TOKEN, null);
    await cancelRequest(ID, TOKEN);
    const [reschedule, cancel] = sent;
    assert.equal(reschedule?.url, `http://localhost:8000/v1/requests/${ID}/reschedule`);
    assert.equal(reschedule?.headers.get("content-type"), "application/json");
    assert.deepEqual(await reschedule?.json(), { send_at: null });
    assert.equal(cancel?.method, "POST");
    assert.equal(await cancel?.text(), "");
  });

  test("turns the gateway's error format into an ApiError", async () => {
    const error = { code: "invalid_transition", message: "it is processing", request_id: "req-9" };
    answer = async () => Response.json({ error }, { status: 409 });
    await assert.rejects(cancelRequest(ID, TOKEN), (thrown: unknown) => {
      assert.ok(thrown instanceof ApiError);
      assert.equal(thrown.status, 409);
      assert.equal(thrown.code, "invalid_transition");
      assert.equal(thrown.requestId, "req-9");
      return true;
    });
  });

  test("copes with an error body that is not JSON (a proxy's page)", async () => {
    answer = async () => new Response("<h1>Bad gateway</h1>", { status: 502 });
    await assert.rejects(getRequest(ID, TOKEN), { name: "ApiError", status: 502, code: "http_502" });
  });

  test("reports an unreachable server as a network error", async () => {
    answer = async () => {
      throw new TypeError("fetch failed");
    };
    await assert.rejects(getRequest(ID, TOKEN), { name: "ApiError", status: 0, code: "network_error" });
  });

  test("lets the caller's abort through as an abort", async () => {
    const controller = new AbortController();
    answer = async () => {
      controller.abort();
      throw controller.signal.reason;
    };
    await assert.rejects(getRequest(ID, TOKEN, controller.signal), { name: "AbortError" });
  });
});

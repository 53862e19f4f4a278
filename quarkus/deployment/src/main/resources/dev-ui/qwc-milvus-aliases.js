import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/grid';
import '@vaadin/button';

/**
 * The Milvus card's page: one row per alias, with its address, its Dev Service, the load state of
 * the collections it lists and its readiness entry, read from the running application (MilvusDevUIService.getAliases) on open and on Refresh.
 */
export class QwcMilvusAliases extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        .aliases { height: 100%; display: flex; flex-direction: column; gap: 0.5em; padding: 0.5em; }
        vaadin-button { align-self: flex-start; }
    `;

    static properties = {
        _aliases: { state: true },
        _error: { state: true }
    };

    connectedCallback() {
        super.connectedCallback();
        this._load();
    }

    _load() {
        this.jsonRpc.getAliases()
            .then(response => { this._aliases = response.result; this._error = null; })
            .catch(error => { this._error = String(error && error.error ? error.error.message : error); });
    }

    render() {
        if (this._error) {
            return html`<div class="aliases"><span>Could not read the aliases: ${this._error}</span>
                <vaadin-button @click="${this._load}">Refresh</vaadin-button></div>`;
        }
        if (!this._aliases) {
            return html`<span>Reading the aliases…</span>`;
        }
        return html`<div class="aliases">
            <vaadin-grid .items="${this._aliases}" theme="row-stripes no-border" all-rows-visible>
                <vaadin-grid-sort-column path="alias" header="Alias" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-column path="address" header="Address" auto-width></vaadin-grid-column>
                <vaadin-grid-column path="devService" header="Dev Service" auto-width></vaadin-grid-column>
                <vaadin-grid-column path="collections" header="Collections (health.collections)" auto-width></vaadin-grid-column>
                <vaadin-grid-column path="readiness" header="Readiness (check 'milvus')" auto-width></vaadin-grid-column>
            </vaadin-grid>
            <vaadin-button @click="${this._load}">Refresh</vaadin-button>
        </div>`;
    }
}
customElements.define('qwc-milvus-aliases', QwcMilvusAliases);

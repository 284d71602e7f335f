import { Icon } from "../components/Icon";
import { NAV_GROUPS, type ScreenId } from "./navigation";

export function Nav({
  current,
  onSelect,
  version,
}: {
  current: ScreenId;
  onSelect: (id: ScreenId) => void;
  version: string | null;
}) {
  return (
    <nav className="sidebar" aria-label="Main">
      {NAV_GROUPS.map((group) => (
        <div key={group.label} className="nav-group">
          <div className="nav-group-label">{group.label}</div>
          <ul>
            {group.items.map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  className={`nav-item${item.id === current ? " current" : ""}`}
                  data-testid={`nav-${item.id}`}
                  aria-current={item.id === current ? "page" : undefined}
                  onClick={() => onSelect(item.id)}
                >
                  <Icon name={item.icon} />
                  {item.label}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <div className="sidebar-footer mono">{version ? `Storelens ${version}` : "Storelens"}</div>
    </nav>
  );
}

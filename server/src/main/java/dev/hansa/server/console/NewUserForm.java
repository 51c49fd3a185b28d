package dev.hansa.server.console;

/** What the users page's create form binds: the new user's name, initial password and role, and nothing else. */
class NewUserForm {

    private String username = "";
    private String password = "";
    private String role = "VIEWER";

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }
}
